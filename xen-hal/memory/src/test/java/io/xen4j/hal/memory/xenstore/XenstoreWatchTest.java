package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.EEXIST;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.ENOENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Watches: which changes fire them, with which path, in which order, and for whom. */
final class XenstoreWatchTest {
    private final XenstoreCore core = new XenstoreCore();
    private final XsTester dom0 = XsTester.dom0(core);
    private final XsTester watcher = XsTester.dom0(core);

    @Test
    void aNewWatchFiresOnceAtOnceEvenOnAMissingNode() {
        watcher.watch("/nothing/yet", "t1");
        assertEquals(List.of("/nothing/yet t1"), watcher.takeEvents());
    }

    @Test
    void writesMkdirsAndPermissionChangesFireWatchesOnThePathAndItsParents() {
        watcher.watch("/w", "parent");
        watcher.watch("/w/a", "exact");
        watcher.watch("/w/a/b/c", "below");
        watcher.takeEvents();
        dom0.write("/w/a/b", "1");
        assertEquals(List.of("/w/a/b parent", "/w/a/b exact"), watcher.takeEvents());
        dom0.mkdir("/w/a/b");
        assertEquals(List.of(), watcher.takeEvents(), "mkdir of an existing node changes nothing");
        dom0.setPerms("/w/a", "n0");
        assertEquals(List.of("/w/a parent", "/w/a exact"), watcher.takeEvents());
        dom0.mkdir("/wx");
        assertEquals(List.of(), watcher.takeEvents(), "/wx is not below /w");
    }

    @Test
    void removingASubtreeFiresEachRemovedNodeExactlyAndTheTopForParents() {
        dom0.write("/r/a/b", "1");
        watcher.watch("/r", "top");
        watcher.watch("/r/a/b", "leaf");
        watcher.watch("/r/a/b/missing", "missing");
        watcher.takeEvents();
        dom0.rm("/r/a");
        assertEquals(List.of("/r/a/b leaf", "/r/a top"), watcher.takeEvents());
    }

    @Test
    void theEventsOfARequestComeBeforeItsReply() {
        watcher.watch("/o", "tok");
        watcher.takeEvents();
        final int reqId = 77;
        core.handle(watcher.conn, XsMessage.ofStringAndBytes(XsWire.XS_WRITE, reqId, 0, "/o/x", new byte[] {'1'}));
        final XsMessage first = Objects.requireNonNull(watcher.conn.pollOutput());
        final XsMessage second = Objects.requireNonNull(watcher.conn.pollOutput());
        assertEquals(XsWire.XS_WATCH_EVENT, first.type());
        assertEquals(XsWire.XS_WRITE, second.type());
        assertEquals(reqId, second.reqId());
    }

    @Test
    void theAckOfAWatchComesBeforeItsFirstEvent() {
        core.handle(watcher.conn, XsMessage.ofStrings(XsWire.XS_WATCH, 5, 0, "/x", "t"));
        assertEquals(XsWire.XS_WATCH, Objects.requireNonNull(watcher.conn.pollOutput()).type());
        assertEquals(XsWire.XS_WATCH_EVENT, Objects.requireNonNull(watcher.conn.pollOutput()).type());
    }

    @Test
    void aRelativeWatchGetsRelativePaths() {
        final XsTester guest = XsTester.guest(core, 3);
        guest.watch("data", "rel");
        guest.watch("/local/domain/3/data", "abs");
        assertEquals(List.of("data rel", "/local/domain/3/data abs"), guest.takeEvents());
        dom0.write("/local/domain/3/data/k", "v");
        assertEquals(List.of("data/k rel", "/local/domain/3/data/k abs"), guest.takeEvents());
    }

    @Test
    void unwatchStopsEventsAndNeedsTheExactPathAndToken() {
        watcher.watch("/u", "t");
        watcher.fails(ENOENT, XsWire.XS_UNWATCH, 0, "/u", "other");
        watcher.unwatch("/u", "t");
        watcher.takeEvents();
        dom0.write("/u/x", "1");
        assertEquals(List.of(), watcher.takeEvents());
    }

    @Test
    void theSamePathAndTokenTwiceIsEexistButAnotherTokenIsAnotherWatch() {
        watcher.watch("/d", "t");
        watcher.fails(EEXIST, XsWire.XS_WATCH, 0, "/d", "t");
        watcher.watch("/d", "u");
        watcher.takeEvents();
        dom0.write("/d", "x");
        assertEquals(List.of("/d t", "/d u"), watcher.takeEvents());
    }

    @Test
    void watchRequestsNeedExactlyAPathAndAToken() {
        watcher.fails(EINVAL, XsWire.XS_WATCH, 0, "/only-path");
        watcher.fails(EINVAL, XsWire.XS_WATCH, 0, "/a", "t", "extra");
        watcher.fails(EINVAL, XsWire.XS_WATCH, 0, "/bad//path", "t");
        watcher.fails(EINVAL, XsWire.XS_UNWATCH, 0, "/a");
    }

    @Test
    void tokensComeBackByteForByte() {
        final byte[] token = {(byte) 0xC3, (byte) 0xA9, 1, 2, (byte) 0xFF};
        final byte[] payload = new byte[3 + token.length + 1];
        System.arraycopy("/b\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 3);
        System.arraycopy(token, 0, payload, 3, token.length);
        assertFalse(watcher.request(XsWire.XS_WATCH, 0, payload).isError());
        assertEquals(List.of("/b " + new String(token, StandardCharsets.ISO_8859_1)), watcher.takeEvents());
    }

    @Test
    void identicalEventsWaitingForTheClientAreSentOnce() {
        watcher.watch("/dup", "t");
        watcher.takeEvents();
        dom0.write("/dup", "1");
        dom0.write("/dup", "2");
        dom0.write("/dup", "3");
        assertEquals(1, watcher.conn.pendingEvents());
        assertEquals(List.of("/dup t"), watcher.takeEvents());
        dom0.write("/dup", "4");
        assertEquals(List.of("/dup t"), watcher.takeEvents());
    }

    @Test
    void aWatchOnTheRootSeesEverythingItMayRead() {
        watcher.watch("/", "root");
        watcher.takeEvents();
        dom0.write("/any/where", "1");
        core.introduceDomain(8);
        assertEquals(List.of("/any/where root", "@introduceDomain root"), watcher.takeEvents());
    }

    @Test
    void specialWatchesFireOnIntroductionAndRelease() {
        watcher.watch("@introduceDomain", "in");
        watcher.watch("@releaseDomain", "out");
        assertEquals(List.of("@introduceDomain in", "@releaseDomain out"), watcher.takeEvents());
        dom0.ok(XsWire.XS_INTRODUCE, 0, "5", "12345", "3");
        assertEquals(List.of("@introduceDomain in"), watcher.takeEvents());
        dom0.ok(XsWire.XS_RELEASE, 0, "5");
        assertEquals(List.of("@releaseDomain out"), watcher.takeEvents());
        core.introduceDomain(6);
        core.destroyDomain(6);
        assertEquals(List.of("@introduceDomain in", "@releaseDomain out"), watcher.takeEvents());
    }

    @Test
    void aClientThatDoesNotReadLosesEventsBeyondTheBoundNotMemory() {
        final XenstoreCore small = new XenstoreCore(XenstoreQuotas.defaults().withPendingEvents(10));
        final XsTester w = XsTester.dom0(small);
        final XsTester writer = XsTester.dom0(small);
        w.watch("/flood", "t");
        for (int i = 0; i < 100; i++) {
            writer.write("/flood/n" + i, "x");
        }
        assertEquals(10, w.conn.pendingEvents());
        // The first event of the watch was read by the test: 10 wait, 90 were dropped.
        assertEquals(90, w.conn.droppedEvents());
    }
}
