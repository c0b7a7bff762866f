package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.E2BIG;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.ENOENT;
import static io.xen4j.abi.xenstore.XsdErrors.ENOSYS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tree and the request formats: what C xenstored answers, request by request. */
final class XenstoreCoreTest {
    private final XenstoreCore core = new XenstoreCore();
    private final XsTester dom0 = XsTester.dom0(core);

    @Test
    void startsWithTheTreeOfCXenstored() {
        assertEquals(List.of("tool"), dom0.dir("/"));
        assertEquals(List.of("xenstored"), dom0.dir("/tool"));
        assertEquals(List.of("n0"), dom0.perms("/"));
        assertEquals(3, core.nodeCount());
    }

    @Test
    void writeCreatesMissingParentsWithEmptyValues() {
        dom0.write("/a/b/c", "v");
        assertEquals("v", dom0.read("/a/b/c"));
        assertEquals("", dom0.read("/a/b"));
        assertEquals("", dom0.read("/a"));
        assertEquals(List.of("tool", "a"), dom0.dir("/"));
        assertEquals(List.of("c"), dom0.dir("/a/b"));
    }

    @Test
    void valuesAreBytesNulsIncluded() {
        final byte[] value = {0, 1, 2, (byte) 0xFF, 0, 'x'};
        dom0.writeRequest(0, "/bin", value);
        assertArrayEquals(value, dom0.ok(XsWire.XS_READ, 0, "/bin").payload());
        dom0.writeRequest(0, "/empty", new byte[0]);
        assertEquals(0, dom0.ok(XsWire.XS_READ, 0, "/empty").payloadLength());
    }

    @Test
    void childrenAreListedInCreationOrderAndRemovedInPlace() {
        for (final String c : new String[] {"z", "a", "m", "b"}) {
            dom0.mkdir("/d/" + c);
        }
        assertEquals(List.of("z", "a", "m", "b"), dom0.dir("/d"));
        dom0.rm("/d/a");
        assertEquals(List.of("z", "m", "b"), dom0.dir("/d"));
    }

    @Test
    void mkdirKeepsAnExistingValue() {
        dom0.write("/k", "keep");
        dom0.mkdir("/k");
        assertEquals("keep", dom0.read("/k"));
    }

    @Test
    void rmRemovesTheSubtreeAndIsFineForAMissingNodeWithAParent() {
        dom0.write("/r/a/b", "1");
        dom0.write("/r/c", "2");
        final int before = core.nodeCount();
        dom0.rm("/r");
        assertEquals(before - 4, core.nodeCount());
        assertEquals(ENOENT, dom0.readError("/r/a/b"));
        dom0.rm("/r");
        dom0.fails(ENOENT, XsWire.XS_RM, 0, "/r/x");
        dom0.fails(EINVAL, XsWire.XS_RM, 0, "/");
    }

    @Test
    void relativePathsAreBelowTheDomainHomeAndTheSocketIsDom0() {
        dom0.write("rel/x", "1");
        assertEquals("1", dom0.read("/local/domain/0/rel/x"));
        final XsTester guest = XsTester.guest(core, 4);
        guest.write("data/y", "2");
        assertEquals("2", dom0.read("/local/domain/4/data/y"));
        assertEquals("2", guest.read("data/y"));
        assertEquals("guest4", guest.read("name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "//", "/a/", "/a//b", "/a b", "/a\u00e9", "a/", "/a.b", "@introduceDomain", "/a?"})
    void invalidPathsAreEinval(final String path) {
        assertEquals(EINVAL, dom0.readError(path));
        assertEquals(EINVAL, dom0.writeError(path, "v"));
    }

    @Test
    void pathCharactersOfXenstoreAreAccepted() {
        dom0.write("/Az09-_@/x", "ok");
        assertEquals("ok", dom0.read("/Az09-_@/x"));
    }

    @Test
    void requestsWithOnePathNeedExactlyOneTerminatingNul() {
        for (final int type : new int[] {XsWire.XS_READ, XsWire.XS_DIRECTORY, XsWire.XS_GET_PERMS, XsWire.XS_MKDIR,
            XsWire.XS_RM}) {
            assertEquals(EINVAL, dom0.request(type, 0, "/tool".getBytes()).errorName());
            assertEquals(EINVAL, dom0.request(type, 0, "/tool\0/x\0".getBytes()).errorName());
            assertEquals(EINVAL, dom0.request(type, 0, new byte[0]).errorName());
        }
        assertEquals(EINVAL, dom0.request(XsWire.XS_WRITE, 0, "/nonul".getBytes()).errorName());
    }

    @Test
    void unknownTypesAreEnosysAndTheConnectionLives() {
        for (final int type : new int[] {XsWire.XS_WATCH_EVENT, XsWire.XS_ERROR, 20, XsWire.XS_TYPE_COUNT, 0xFFFF, -1}) {
            final XsMessage reply = dom0.request(type, 0, "/tool");
            assertEquals(ENOSYS, reply.errorName());
        }
        assertEquals("", dom0.read("/tool"));
    }

    @Test
    void getDomainPathFollowsCAtoi() {
        assertEquals("/local/domain/7", dom0.ok(XsWire.XS_GET_DOMAIN_PATH, 0, "7").firstString());
        assertEquals("/local/domain/0", dom0.ok(XsWire.XS_GET_DOMAIN_PATH, 0, "x").firstString());
        assertEquals("/local/domain/4294967295", dom0.ok(XsWire.XS_GET_DOMAIN_PATH, 0, "-1").firstString());
        dom0.fails(EINVAL, XsWire.XS_GET_DOMAIN_PATH, 0, "1", "2");
    }

    @Test
    void aDirectoryLargerThanAPayloadIsE2bigAndComesWholeThroughDirectoryPart() {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            final String name = String.format("child-%04d-%s", i, XsTester.fill('x', 20));
            names.add(name);
            dom0.mkdir("/big/" + name);
        }
        dom0.fails(E2BIG, XsWire.XS_DIRECTORY, 0, "/big");
        final List<String> all = new ArrayList<>();
        String generation = null;
        int offset = 0;
        int parts = 0;
        while (true) {
            final XsMessage part = dom0.ok(XsWire.XS_DIRECTORY_PART, 0, "/big", Integer.toString(offset));
            parts++;
            final byte[] p = part.payload();
            final List<String> s = XenstoreCore.strings(p);
            if (generation == null) {
                generation = s.get(0);
            }
            assertEquals(generation, s.get(0), "generation changed between parts");
            final List<String> children = s.subList(1, s.size());
            // The last part ends with an empty string: two NULs in a row.
            final boolean last = !children.isEmpty() && children.get(children.size() - 1).isEmpty();
            for (final String c : last ? children.subList(0, children.size() - 1) : children) {
                all.add(c);
                offset += c.length() + 1;
            }
            if (last) {
                break;
            }
        }
        assertEquals(names, all);
        assertTrue(parts >= 3, "parts " + parts);
        final XsMessage past = dom0.ok(XsWire.XS_DIRECTORY_PART, 0, "/big", Integer.toString(offset + 5));
        assertEquals(generation + "\0\0", new String(past.payload()));
        dom0.fails(EINVAL, XsWire.XS_DIRECTORY_PART, 0, "/big");
    }

    @Test
    void directoryPartOfAnEmptyNodeIsTheEndMarker() {
        dom0.mkdir("/leaf");
        final XsMessage r = dom0.ok(XsWire.XS_DIRECTORY_PART, 0, "/leaf", "0");
        final byte[] p = r.payload();
        assertEquals(0, p[p.length - 1]);
        assertEquals(0, p[p.length - 2]);
    }

    @Test
    void aValueOfAFullPayloadIsReadBack() {
        final String path = "/v";
        final String value = XsTester.fill('q', XsWire.XENSTORE_PAYLOAD_MAX - path.length() - 1);
        dom0.write(path, value);
        assertEquals(value, dom0.read(path));
    }

    @Test
    void controlIsAnsweredForDom0() {
        assertTrue(dom0.ok(XsWire.XS_CONTROL, 0, "quota").firstString().contains("node-size"));
        dom0.ok(XsWire.XS_CONTROL, 0, "print", "hello");
        dom0.fails(EINVAL, XsWire.XS_CONTROL, 0, "no-such-command");
        assertEquals(EINVAL, dom0.request(XsWire.XS_CONTROL, 0, new byte[0]).errorName());
    }

    @Test
    void aClosedConnectionIsRefusedWithItsReason() {
        final XsConnection c = core.connect(0);
        core.disconnect(c, "test closed it");
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> core.handle(c, XsMessage.ofStrings(XsWire.XS_READ, 1, 0, "/")));
        assertTrue(String.valueOf(e.getMessage()).contains("test closed it"), e.getMessage());
    }

    @Test
    void aDomainMustBeIntroducedBeforeItConnects() {
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> core.connect(9));
        assertTrue(String.valueOf(e.getMessage()).contains("domain 9"), e.getMessage());
    }
}
