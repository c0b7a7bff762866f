package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.E2BIG;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.ENOMEM;
import static io.xen4j.abi.xenstore.XsdErrors.ENOSPC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Every quota at its exact boundary, with the defaults of C xenstored 4.17: the limit is
 * accepted, one more is rejected with the error C xenstored gives, and nothing of the rejected
 * request remains.
 */
final class XenstoreQuotaTest {
    private static final int GUEST = 5;
    private final XenstoreCore core = new XenstoreCore();
    private final XsTester dom0 = XsTester.dom0(core);
    private final XsTester guest = XsTester.guest(core, GUEST);

    @Test
    void theDefaultsAreThoseOfCXenstored417() {
        final XenstoreQuotas q = XenstoreQuotas.defaults();
        assertEquals(1000, q.nodes());
        assertEquals(2048, q.nodeSize());
        assertEquals(128, q.watches());
        assertEquals(10, q.transactions());
        assertEquals(5, q.permissions());
        assertEquals(20, q.outstanding());
        assertEquals(1024, q.transactionNodes());
        assertEquals(2 * 1024 * 1024 + 512 * 1024, q.memory());
        assertEquals(2048, q.relativePathMax());
    }

    @Test
    void nodes1000AreAcceptedAndThe1001stIsEnospc() {
        // Spread over directories: one parent with 1000 children would hit the node-size quota first.
        for (int d = 0; d < 40; d++) {
            guest.mkdir("data/d" + d);
        }
        int k = 0;
        while (core.usage(GUEST).nodes() < 1000) {
            guest.mkdir("data/d" + (k % 40) + "/n" + (k / 40));
            k++;
        }
        assertEquals(1000, core.usage(GUEST).nodes());
        guest.fails(ENOSPC, XsWire.XS_MKDIR, 0, "data/d0/one-too-many");
        assertEquals(ENOSPC, guest.writeError("/local/domain/5/data/d1/also", "v"));
        assertEquals(1000, core.usage(GUEST).nodes());
        guest.rm("data/d0/n0");
        guest.mkdir("data/d0/fits-again");
        // dom0 is not bound by the domain's quota, even for nodes the domain owns.
        dom0.write("/local/domain/5/data/d2/by-dom0", "v");
    }

    @Test
    void aNodeRecordOf2048BytesIsAcceptedAnd2049IsEnospc() {
        // Record: 24-byte header, 8 bytes for the one permission entry (n5), the value, no children.
        final int header = XenstoreQuotas.NODE_RECORD_HEADER + XenstoreQuotas.NODE_RECORD_PERMISSION;
        guest.write("data/big", XsTester.fill('v', 2048 - header));
        assertEquals(ENOSPC, guest.writeError("/local/domain/5/data/big", XsTester.fill('v', 2048 - header + 1)));
        assertEquals(2048 - header, guest.read("data/big").length());
        // A second permission entry costs 8 bytes of the same budget.
        assertEquals(ENOSPC, guest.setPermsError("data/big", "n5", "r0"));
        guest.write("data/big", XsTester.fill('v', 2048 - header - 8));
        guest.setPerms("data/big", "n5", "r0");
        assertEquals(ENOSPC, guest.writeError("/local/domain/5/data/big", XsTester.fill('v', 2048 - header - 7)));
        // Children names count too: a parent near the limit cannot take another child.
        guest.write("data/p", XsTester.fill('v', 2048 - header - 2));
        guest.mkdir("data/p/a");
        assertEquals(ENOSPC, guest.writeError("/local/domain/5/data/p/b", ""));
        // dom0 is not bound by it.
        dom0.write("/local/domain/5/data/huge", XsTester.fill('v', 3000));
    }

    @Test
    void watches128AreAcceptedAndThe129thIsE2big() {
        for (int i = 0; i < 128; i++) {
            guest.watch("data/w" + i, "t");
        }
        guest.fails(E2BIG, XsWire.XS_WATCH, 0, "data/w128", "t");
        assertEquals(128, core.usage(GUEST).watches());
        guest.unwatch("data/w0", "t");
        guest.watch("data/w128", "t");
        for (int i = 0; i < 200; i++) {
            dom0.watch("/dom0-has-no-quota/" + i, "t");
        }
    }

    @Test
    void transactions10AreAcceptedAndThe11thIsEnospc() {
        final int[] ids = new int[10];
        for (int i = 0; i < 10; i++) {
            ids[i] = guest.start();
        }
        guest.fails(ENOSPC, XsWire.XS_TRANSACTION_START, 0, "");
        guest.abort(ids[3]);
        guest.start();
        assertEquals(10, core.usage(GUEST).transactions());
        // The quota is the domain's, whichever connection opens them.
        final XsTester second = new XsTester(core, core.connect(GUEST));
        second.fails(ENOSPC, XsWire.XS_TRANSACTION_START, 0, "");
        for (int i = 0; i < 20; i++) {
            dom0.start();
        }
    }

    @Test
    void permissions5AreAcceptedAnd6AreEnospc() {
        guest.mkdir("data/p");
        guest.setPerms("data/p", "n5", "r1", "r2", "r3", "r4");
        assertEquals(ENOSPC, guest.setPermsError("data/p", "n5", "r1", "r2", "r3", "r4", "r6"));
        assertEquals(5, dom0.perms("/local/domain/5/data/p").size());
        dom0.setPerms("/local/domain/5/data/p", "n5", "r1", "r2", "r3", "r4", "r6", "r7");
    }

    @Test
    void outstanding20RepliesAreProducedAndThe21stRequestWaitsUntilTheGuestReads() {
        final XsByteStream stream = new XsByteStream(core, core.connect(GUEST));
        final ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int i = 1; i <= 25; i++) {
            requests.writeBytes(XsEncoder.toBytes(XsMessage.ofStrings(XsWire.XS_READ, i, 0, "name")));
        }
        final byte[] bytes = requests.toByteArray();
        final int oneRequest = bytes.length / 25;
        final int consumed = stream.receive(bytes, 0, bytes.length);
        assertEquals(20, stream.connection().pendingReplies());
        assertTrue(stream.isHolding());
        assertEquals(21 * oneRequest, consumed, "the 21st request is read but held back; the rest stay unread");
        assertEquals(0, stream.receive(bytes, consumed, bytes.length - consumed));
        // The guest reads one reply: the held request runs, and one more can.
        final ByteBuffer out = ByteBuffer.allocate(16 + "guest5".length());
        stream.drainTo(out);
        assertTrue(stream.resume());
        assertEquals(20, stream.connection().pendingReplies());
        final int more = stream.receive(bytes, consumed, bytes.length - consumed);
        assertEquals(oneRequest, more);
        assertTrue(stream.isHolding());
        // dom0 has no such bound.
        final XsByteStream privileged = new XsByteStream(core, core.connect(0));
        privileged.receive(bytes, 0, bytes.length);
        assertEquals(25, privileged.connection().pendingReplies());
    }

    @Test
    void aTransactionTouches1024NodesAndThe1025thIsEnospc() {
        dom0.mkdir("/pub");
        dom0.setPerms("/pub", "r0");
        for (int d = 0; d < 40; d++) {
            for (int i = 0; i < 26; i++) {
                dom0.mkdir("/pub/d" + d + "/n" + i);
            }
        }
        final int tx = guest.start();
        int touched = 0;
        outer:
        for (int d = 0; d < 40; d++) {
            for (int i = 0; i < 26; i++) {
                if (touched == 1024) {
                    break outer;
                }
                guest.read(tx, "/pub/d" + d + "/n" + i);
                touched++;
            }
        }
        guest.fails(ENOSPC, XsWire.XS_READ, tx, "/pub/d39/n25");
        // Nodes touched before may be used again.
        guest.read(tx, "/pub/d0/n0");
        guest.commit(tx);
        final int privileged = dom0.start();
        for (int d = 0; d < 40; d++) {
            for (int i = 0; i < 26; i++) {
                dom0.read(privileged, "/pub/d" + d + "/n" + i);
            }
        }
        dom0.commit(privileged);
    }

    @Test
    void memoryOf2AndAHalfMebibytesIsAcceptedAndOneByteMoreIsEnomem() {
        final long quota = XenstoreQuotas.defaults().memory();
        // Fill with nodes: chains of long names carry long paths, which count as in C.
        final String segment = XsTester.fill('s', 119);
        int chain = 0;
        fill:
        while (true) {
            String path = "data/c" + chain;
            for (int depth = 0; depth < 16; depth++) {
                if (core.usage(GUEST).memory() > quota - 250_000) {
                    break fill;
                }
                guest.write(path, XsTester.fill('v', 1800));
                path = path + "/" + segment + (depth % 10);
            }
            chain++;
        }
        // Then with watches, whose path and token count, until a few hundred bytes are left.
        final String watchPath = "data/s";
        final int absolutePath = "/local/domain/5/data/s".length();
        int w = 0;
        long room = quota - core.usage(GUEST).memory();
        while (room > 1000) {
            guest.watch(watchPath, (w++) + "-" + XsTester.fill('t', (int) Math.min(3000, room - 500 - absolutePath)));
            room = quota - core.usage(GUEST).memory();
        }
        final int tokenForRoom = (int) room - absolutePath;
        assertTrue(tokenForRoom > 0, "room " + room);
        guest.fails(ENOMEM, XsWire.XS_WATCH, 0, watchPath, "x" + XsTester.fill('t', tokenForRoom));
        guest.watch(watchPath, XsTester.fill('t', tokenForRoom));
        assertEquals(quota, core.usage(GUEST).memory());
        // At the limit: anything that grows is refused, anything else still works.
        assertEquals(ENOMEM, guest.writeError("/local/domain/5/data/c0", XsTester.fill('v', 1801)));
        guest.write("data/c0", XsTester.fill('u', 1800));
        guest.write("data/c0", XsTester.fill('u', 1799));
        guest.write("data/c0", XsTester.fill('u', 1800));
        assertFalse(core.usage(GUEST).memory() > quota);
    }

    @Test
    void aSmallerMemoryQuotaIsEnforcedAsExactly() {
        final XenstoreCore small = new XenstoreCore(XenstoreQuotas.defaults().withMemory(2000));
        final XsTester g = XsTester.guest(small, 7);
        final long used = small.usage(7).memory();
        final String path = "/local/domain/7/data/x";
        // Footprint of the new node: record (24 + 8 + value) plus its path; data's record grows by "x\0".
        final int value = (int) (2000 - used - (24 + 8) - path.length() - 2);
        assertEquals(ENOMEM, g.writeError(path, XsTester.fill('v', value + 1)));
        g.write(path, XsTester.fill('v', value));
        assertEquals(2000, small.usage(7).memory());
    }

    @Test
    void pathsBelowAHomeMayBe2048BytesAndOthers3072() {
        final String rel = XsTester.fill('r', 2048);
        dom0.write(rel, "v");
        assertEquals(EINVAL, dom0.writeError(rel + "r", "v"));
        assertEquals(EINVAL, dom0.writeError("/local/domain/5/" + rel + "r", "v"));
        final String abs = "/" + XsTester.fill('a', 3071);
        dom0.write(abs, "v");
        assertEquals(EINVAL, dom0.writeError(abs + "a", "v"));
        assertEquals(EINVAL, dom0.readError(abs + "a"));
    }
}
