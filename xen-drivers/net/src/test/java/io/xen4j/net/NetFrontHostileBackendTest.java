package io.xen4j.net;

import static io.xen4j.abi.netif.Netif.NETIF_RSP_ERROR;
import static io.xen4j.abi.netif.Netif.NETIF_RSP_OKAY;
import static io.xen4j.abi.netif.Netif.NETRXF_MORE_DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.MappedGrants;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * netfront against a hostile backend, one named test per netif frontend rule: tx response ids in
 * range and pending, known statuses, rx ids matching the buffer posted, {@code offset + status <=
 * 4096}, bounded slot chains, and grants ended before a page is read or reused (XSA-396).
 */
final class NetFrontHostileBackendTest {
    private static void assertBroken(final RawNetBackend b, final String words) {
        final String why = b.front.brokenReason();
        assertNotNull(why, "frontend should have broken: " + words);
        assertTrue(why.contains(words) && why.contains("vif-" + b.guest.domid() + "-0"), why);
    }

    @Test
    void aValidFrameIsReceivedAndAValidTxResponseCompletes() {
        try (RawNetBackend b = new RawNetBackend()) {
            final byte[] data = new byte[100];
            new Random(1).nextBytes(data);
            final int[] req = b.takeRx();
            b.fill(req[1], 0, data);
            b.rxResponse(req[0], 0, 0, data.length);
            b.pushRx();
            assertEquals(1, b.received.size());
            assertArrayEquals(data, b.received.get(0));
            final List<RawNetBackend.TxReq> sent = b.sendFromFront(5000);
            assertEquals(2, sent.size());
            b.txResponse(sent.get(0).id(), NETIF_RSP_OKAY);
            b.txResponse(sent.get(1).id(), NETIF_RSP_OKAY);
            assertNull(b.front.brokenReason());
            assertEquals(0, b.front.leakedGrants());
        }
    }

    @Test
    void aTxResponseForAnIdNotPendingBreaksTheDevice() {
        try (RawNetBackend b = new RawNetBackend()) {
            final List<RawNetBackend.TxReq> sent = b.sendFromFront(100);
            b.txResponse((sent.get(0).id() + 1) & 0xFF, NETIF_RSP_OKAY);
            assertBroken(b, "not a pending request");
        }
        try (RawNetBackend b = new RawNetBackend()) {
            b.sendFromFront(100);
            b.txResponse(4000, NETIF_RSP_OKAY);
            assertBroken(b, "id=4000");
        }
        try (RawNetBackend b = new RawNetBackend()) {
            // Answered twice: the second time the id is no longer pending.
            final List<RawNetBackend.TxReq> sent = b.sendFromFront(100);
            b.sendFromFront(100);
            b.txResponse(sent.get(0).id(), NETIF_RSP_OKAY);
            assertNull(b.front.brokenReason());
            b.txResponse(sent.get(0).id(), NETIF_RSP_OKAY);
            assertBroken(b, "not a pending request");
        }
    }

    @Test
    void aTxResponseWithAnUnknownStatusBreaksTheDeviceAndErrorsAreCounted() {
        try (RawNetBackend b = new RawNetBackend()) {
            final List<RawNetBackend.TxReq> sent = b.sendFromFront(100);
            b.txResponse(sent.get(0).id(), NETIF_RSP_ERROR);
            assertEquals(1, b.front.txErrors());
            final List<RawNetBackend.TxReq> again = b.sendFromFront(100);
            b.txResponse(again.get(0).id(), 7);
            assertBroken(b, "status=7");
        }
    }

    @Test
    void anRxResponseWhoseIdIsNotTheBufferPostedAtItsIndexBreaksTheDevice() {
        try (RawNetBackend b = new RawNetBackend()) {
            final int[] req = b.takeRx();
            b.rxResponse(req[0] + 1, 0, 0, 60);
            b.pushRx();
            assertBroken(b, "response ids");
        }
    }

    @Test
    void anRxResponseEndingBeyondItsPageBreaksTheDevice() {
        try (RawNetBackend b = new RawNetBackend()) {
            final int[] req = b.takeRx();
            b.rxResponse(req[0], 4000, 0, 200);
            b.pushRx();
            assertBroken(b, "offset + status <= 4096");
        }
    }

    @Test
    void anRxErrorStatusDropsTheFrameOnly() {
        try (RawNetBackend b = new RawNetBackend()) {
            int[] req = b.takeRx();
            b.rxResponse(req[0], 0, NETRXF_MORE_DATA, -1);
            req = b.takeRx();
            b.rxResponse(req[0], 0, 0, 100);
            b.pushRx();
            assertEquals(1, b.front.rxErrors());
            assertEquals(0, b.received.size());
            assertNull(b.front.brokenReason());
        }
    }

    @Test
    void anRxChainLongerThanAFrameCanBeIsDropped() {
        try (RawNetBackend b = new RawNetBackend()) {
            for (int i = 0; i < 30; i++) {
                final int[] req = b.takeRx();
                b.fill(req[1], 0, new byte[4096]);
                b.rxResponse(req[0], 0, i < 29 ? NETRXF_MORE_DATA : 0, 4096);
            }
            b.pushRx();
            assertEquals(1, b.front.rxErrors());
            assertEquals(0, b.received.size());
            assertNull(b.front.brokenReason());
        }
    }

    @Test
    void anRxBufferTheBackendKeepsMappedIsNeverReadNorReused() {
        // XSA-396: a grant is ended before the page is used again; a backend that keeps it mapped
        // could change the data after the frontend checked it.
        try (RawNetBackend b = new RawNetBackend()) {
            final int[] req = b.takeRx();
            final MappedGrants kept = b.xen.dom0().host().grantTables().map(b.guest.domid(), req[1], true);
            b.rxResponse(req[0], 0, 0, 60);
            b.pushRx();
            assertBroken(b, "still in use by the backend");
            // The kept buffer, and the two ring pages this backend still maps: none is reused.
            assertEquals(3, b.front.leakedGrants());
            assertEquals(0, b.received.size());
            kept.close();
        }
    }

    /** A grant copy into a receive buffer by the backend (dom0), with its status. */
    private static int copyInto(final RawNetBackend b, final int gref, final byte[] bytes) {
        final GrantCopyBatch batch = new GrantCopyBatch(1);
        batch.addLocalToGrant(new UnsafeBuffer(bytes), 0, b.guest.domid(), gref, 0, bytes.length);
        b.xen.dom0().host().grantTables().copy(batch);
        return batch.status(0);
    }

    @Test
    void keptRxPagesAreReadOnlyOnceEndedAndGrantedAgainOnlyAsNewBuffers() {
        // netfront keeps its receive pages: each is ended before it is read (XSA-396), then granted
        // again to this backend as the next buffer posted; a page is never posted twice at once.
        try (RawNetBackend b = new RawNetBackend()) {
            final Random rnd = new Random(7);
            final int rounds = 3 * NetFrontBackTest.RX_RING_SIZE;
            for (int i = 0; i < rounds; i++) {
                final int[] req = b.takeRx();
                final byte[] data = new byte[60 + rnd.nextInt(4000)];
                rnd.nextBytes(data);
                assertEquals(GrantTable.GNTST_OKAY, copyInto(b, req[1], data));
                b.rxResponse(req[0], 0, 0, data.length);
                b.pushRx();
                // The page was read, then granted again as the buffer posted for the freed slot: a
                // late write through the old reference lands there, not in the frame delivered.
                assertEquals(GrantTable.GNTST_OKAY, copyInto(b, req[1], new byte[] {1, 2, 3}));
                assertArrayEquals(data, b.received.get(i), "frame " + i);
            }
            assertNull(b.front.brokenReason());
            assertEquals(NetFrontBackTest.RX_RING_SIZE, b.front.rxSharesMade(), "one fresh share per slot, then kept pages");
            final Set<Integer> grefs = new HashSet<>();
            for (int i = 0; i < NetFrontBackTest.RX_RING_SIZE; i++) {
                assertTrue(grefs.add(b.takeRx()[1]), "a page posted twice at once");
            }
            b.front.close();
            // Closed: every page's grant is ended (none was mapped), so the backend reaches none.
            for (final int gref : grefs) {
                assertNotEquals(GrantTable.GNTST_OKAY, copyInto(b, gref, new byte[] {9}), "ref " + gref);
            }
            // Only the two ring pages this backend still maps are held back; no receive page is.
            assertEquals(2, b.front.leakedGrants());
        }
    }

    @Test
    void anUnknownRxExtraTypeDropsTheFrame() {
        try (RawNetBackend b = new RawNetBackend()) {
            int[] req = b.takeRx();
            b.fill(req[1], 0, new byte[60]);
            b.rxResponse(req[0], 0, io.xen4j.abi.netif.Netif.NETRXF_EXTRA_INFO, 60);
            req = b.takeRx();
            b.rxRaw(new byte[] {9, 0, 0, 0, 0, 0, 0, 0});
            b.pushRx();
            assertEquals(1, b.front.rxErrors());
            assertNull(b.front.brokenReason());
        }
    }
}
