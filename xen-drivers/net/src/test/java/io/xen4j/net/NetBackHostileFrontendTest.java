package io.xen4j.net;

import static io.xen4j.abi.netif.Netif.NETIF_RSP_ERROR;
import static io.xen4j.abi.netif.Netif.NETIF_RSP_NULL;
import static io.xen4j.abi.netif.Netif.NETIF_RSP_OKAY;
import static io.xen4j.abi.netif.Netif.NETTXF_CSUM_BLANK;
import static io.xen4j.abi.netif.Netif.NETTXF_EXTRA_INFO;
import static io.xen4j.abi.netif.Netif.NETTXF_MORE_DATA;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_EXTRA_FLAG_MORE;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_EXTRA_TYPE_GSO;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_GSO_TYPE_TCPV4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.net.RawNetFrontend.RxRsp;
import io.xen4j.net.RawNetFrontend.TxRsp;
import io.xen4j.net.internal.Packets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * netback against a hostile frontend, one named test per netif backend rule of SECURITY-RULES.md
 * and per advisory (XSA-423, XSA-432, XSA-448, XSA-39): a packet that breaks a drop rule is
 * answered with an error on every slot it used; a fatal one stops the device with a line naming
 * the rule; a packet split in odd ways is delivered byte for byte.
 */
final class NetBackHostileFrontendTest {
    private static byte[] frame(final int n, final long seed) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Puts {@code bytes} into data page {@code page} at {@code offset}. */
    private static void put(final RawNetFrontend f, final int page, final int offset, final byte[] bytes, final int from, final int len) {
        f.data.buffer().putBytes(page * 4096 + offset, bytes, from, len);
    }

    /** Sends {@code bytes} split into slots of the given sizes (the first slot's size is the total). */
    private static List<TxRsp> split(final RawNetFrontend f, final byte[] bytes, final int... sizes) {
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            put(f, i, 100, bytes, at, sizes[i]);
            final int flags = i < sizes.length - 1 ? NETTXF_MORE_DATA : 0;
            f.slot(f.gref(i), 100, flags, 10 + i, i == 0 ? bytes.length : sizes[i]);
            at += sizes[i];
        }
        return f.push();
    }

    private static void assertAll(final List<TxRsp> rsp, final int slots, final int status) {
        assertEquals(slots, rsp.size(), "one response per consumed slot: " + rsp);
        for (final TxRsp r : rsp) {
            assertEquals(status, r.status(), rsp.toString());
        }
    }

    private static void assertFatal(final RawNetFrontend f, final String rule) {
        final String why = f.back.brokenReason();
        assertNotNull(why, "device should have stopped on " + rule);
        assertTrue(why.contains(rule) && why.contains("vif-" + f.guest.domid() + "-0") && why.contains("dom0"), why);
    }

    @Test
    void aValidPacketIsDeliveredWithOneOkayPerSlot() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final byte[] b = frame(1514, 1);
            final List<TxRsp> rsp = split(f, b, 1000, 500, 14);
            assertEquals(List.of(new TxRsp(10, NETIF_RSP_OKAY), new TxRsp(11, NETIF_RSP_OKAY), new TxRsp(12, NETIF_RSP_OKAY)), rsp);
            assertEquals(1, f.port.sent.size());
            assertArrayEquals(b, f.port.sent.get(0).frame());
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void aSlotCrossingItsPageIsFatal() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 4000, 0, 1, 200);
            f.push();
            assertFatal(f, "SLOT_CROSSES_PAGE");
        }
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, NETTXF_MORE_DATA, 1, 1000);
            f.slot(f.gref(1), 4095, 0, 2, 2);
            f.push();
            assertFatal(f, "SLOT_CROSSES_PAGE");
            assertTrue(f.port.sent.isEmpty());
        }
    }

    @Test
    void moreThan18SlotsAreDroppedWithAnErrorPerSlotAnd18Pass() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final int[] s18 = new int[18];
            java.util.Arrays.fill(s18, 80);
            assertAll(split(f, frame(18 * 80, 2), s18), 18, NETIF_RSP_OKAY);
            final int[] s19 = new int[19];
            java.util.Arrays.fill(s19, 70);
            assertAll(split(f, frame(19 * 70, 3), s19), 19, NETIF_RSP_ERROR);
            assertEquals(1L, f.back.rejectedByRule().get("TOO_MANY_SLOTS"));
            assertEquals(1, f.port.sent.size());
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void aRunawayChainIsFatal() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            for (int i = 0; i < 22; i++) {
                f.slot(f.gref(i % RawNetFrontend.DATA_PAGES), 0, NETTXF_MORE_DATA, i, 60);
            }
            f.slot(f.gref(0), 0, 0, 99, 60);
            f.push();
            assertFatal(f, "RUNAWAY_CHAIN");
        }
    }

    @Test
    void aChainEndingBeyondReqProdIsFatal() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, NETTXF_MORE_DATA, 1, 200);
            f.slot(f.gref(1), 0, NETTXF_MORE_DATA, 2, 100);
            f.push();
            assertFatal(f, "CHAIN_BEYOND_PROD");
        }
    }

    @Test
    void aFragmentLargerThanWhatIsLeftIsDropped() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, NETTXF_MORE_DATA, 1, 100);
            f.slot(f.gref(1), 0, 0, 2, 200);
            assertAll(f.push(), 2, NETIF_RSP_ERROR);
            assertEquals(1L, f.back.rejectedByRule().get("FRAG_EXCEEDS_REMAINING"));
            assertTrue(f.port.sent.isEmpty());
            assertNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 6, 200, 255})
    void anUnknownExtraTypeIsFatal(final int type) {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, NETTXF_EXTRA_INFO, 1, 60);
            f.extra(type, 0, 0, 0);
            f.push();
            assertFatal(f, "EXTRA_TYPE");
        }
    }

    @Test
    void anExtraChainWhoseMoreFlagNeverEndsIsFatal() {
        // MORE on every extra up to req_prod: the chain ends beyond what was produced.
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, NETTXF_EXTRA_INFO, 1, 60);
            f.extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
            f.extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
            f.push();
            assertFatal(f, "CHAIN_BEYOND_PROD");
        }
        // MORE on more extras than there are types: a loop, cut short.
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, NETTXF_EXTRA_INFO, 1, 60);
            for (int i = 0; i < 10; i++) {
                f.extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
            }
            f.push();
            assertFatal(f, "EXTRA_CHAIN");
        }
    }

    @Test
    void gsoSizeZeroAndBadGsoTypesAreFatal() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, NETTXF_EXTRA_INFO | NETTXF_CSUM_BLANK, 1, 60);
            f.extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 0, XEN_NETIF_GSO_TYPE_TCPV4);
            f.push();
            assertFatal(f, "GSO_SIZE_ZERO");
        }
        for (final int type : new int[] {0, 3, 255}) {
            try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
                f.slot(f.gref(0), 0, NETTXF_EXTRA_INFO | NETTXF_CSUM_BLANK, 1, 60);
                f.extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, type);
                f.push();
                assertFatal(f, "GSO_TYPE");
            }
        }
    }

    @Test
    void aGsoPacketIsPassedWithItsMetadataAndAGsoOfANonTcpFrameIsDropped() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final ByteBuf tcp = TestFrames.tcp(false, 1, 2, 1, 2, TestFrames.ISN, frame(3000, 9), true);
            final byte[] b = new byte[tcp.readableBytes()];
            tcp.getBytes(0, b);
            put(f, 0, 0, b, 0, 2000);
            put(f, 1, 0, b, 2000, b.length - 2000);
            f.slot(f.gref(0), 0, NETTXF_EXTRA_INFO | NETTXF_CSUM_BLANK | NETTXF_MORE_DATA, 7, b.length);
            f.extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1000, XEN_NETIF_GSO_TYPE_TCPV4);
            f.slot(f.gref(1), 0, 0, 8, b.length - 2000);
            assertEquals(List.of(new TxRsp(7, NETIF_RSP_OKAY), new TxRsp(0, NETIF_RSP_NULL), new TxRsp(8, NETIF_RSP_OKAY)), f.push());
            assertArrayEquals(b, f.port.sent.get(0).frame());
            assertEquals(Offload.gso(false, 1000), f.port.sent.get(0).offload());
            final byte[] junk = frame(3000, 10);
            put(f, 0, 0, junk, 0, 2000);
            f.slot(f.gref(0), 0, NETTXF_EXTRA_INFO | NETTXF_CSUM_BLANK, 7, 2000);
            f.extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1000, XEN_NETIF_GSO_TYPE_TCPV4);
            assertEquals(List.of(new TxRsp(7, NETIF_RSP_ERROR), new TxRsp(0, NETIF_RSP_NULL)), f.push());
            assertEquals(1L, f.back.rejectedByRule().get("CSUM_SETUP"));
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void framesShorterThanAnEthernetHeaderAreDropped() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(f.gref(0), 0, 0, 1, 13);
            f.slot(f.gref(0), 0, 0, 2, 0);
            assertAll(f.push(), 2, NETIF_RSP_ERROR);
            assertEquals(2L, f.back.rejectedByRule().get("TOO_SMALL"));
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void aBadGrantReferenceFailsOnlyItsPacket() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            f.slot(0x7FFF_0000, 0, 0, 1, 100);
            assertAll(f.push(), 1, NETIF_RSP_ERROR);
            assertEquals(1L, f.back.rejectedByRule().get("GRANT_COPY"));
            assertAll(split(f, frame(100, 4), 100), 1, NETIF_RSP_OKAY);
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void xsa423HeadersSplitAcrossManySlotsArriveWhole() {
        // XSA-423: Linux netback assumed the protocol headers come in the first slot; a frontend
        // that splits them over several slots made NICs reset. Here the frame is linearised.
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final ByteBuf tcp = TestFrames.tcp(false, 1, 2, 3, 4, TestFrames.ISN, frame(1460, 5), false);
            final byte[] b = new byte[tcp.readableBytes()];
            tcp.getBytes(0, b);
            assertAll(split(f, b, 1, 13, 1, 19, 2, 18, 1446, 14), 8, NETIF_RSP_OKAY);
            assertArrayEquals(b, f.port.sent.get(0).frame());
            final ByteBuf got = io.netty.buffer.Unpooled.wrappedBuffer(f.port.sent.get(0).frame());
            assertTrue(Packets.verifyChecksum(got));
        }
    }

    @Test
    void xsa432APacketInAsManyTinySlotsAsAllowedArrivesWholeAndOneMoreIsDropped() {
        // XSA-432: a packet split into the most pieces the protocol permits, yet smaller than the
        // header area Linux keeps together, overran a buffer in netback.
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final int[] sizes = new int[18];
            java.util.Arrays.fill(sizes, 4);
            final byte[] b = frame(18 * 4, 6);
            assertAll(split(f, b, sizes), 18, NETIF_RSP_OKAY);
            assertArrayEquals(b, f.port.sent.get(0).frame());
            final int[] one = new int[19];
            java.util.Arrays.fill(one, 1);
            assertAll(split(f, frame(19, 7), one), 19, NETIF_RSP_ERROR);
            assertEquals(1, f.port.sent.size());
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void xsa448ZeroLengthFragmentsAreHarmless() {
        // XSA-448: transmit parts of length zero (all of an skb's fragments) crashed Linux's stack.
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final byte[] b = frame(60, 8);
            assertAll(split(f, b, 60, 0, 0, 0, 0), 5, NETIF_RSP_OKAY);
            assertArrayEquals(b, f.port.sent.get(0).frame());
            final byte[] c = frame(200, 9);
            assertAll(split(f, c, 14, 0, 100, 0, 86, 0), 6, NETIF_RSP_OKAY);
            assertArrayEquals(c, f.port.sent.get(1).frame());
            // A first slot of zero own bytes: everything in the fragments.
            final byte[] d = frame(100, 10);
            assertAll(split(f, d, 0, 50, 50), 3, NETIF_RSP_OKAY);
            assertArrayEquals(d, f.port.sent.get(2).frame());
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void framesOverTheMtuWithoutGsoAreDropped() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            assertAll(split(f, frame(1518, 11), 1518), 1, NETIF_RSP_OKAY);
            assertAll(split(f, frame(1519, 12), 1519), 1, NETIF_RSP_ERROR);
            // The largest size netif can express: 65535 bytes in 17 slots, still no GSO: dropped.
            final int[] sizes = new int[17];
            java.util.Arrays.fill(sizes, 3855);
            assertAll(split(f, frame(65535, 13), sizes), 17, NETIF_RSP_ERROR);
            assertEquals(2L, f.back.rejectedByRule().get("OVERSIZE"));
        }
    }

    @Test
    void xsa39AStalledFrontendCostsABoundedQueueAndDropsAreCounted() {
        final NetBackConfig bc = new NetBackConfig(1, true, true, true, true, false, false, 1500, 64, 1 << 20);
        try (RawNetFrontend f = new RawNetFrontend(bc)) {
            for (int i = 0; i < 5000; i++) {
                f.port.inbox.add(frame(1000, i));
            }
            for (int i = 0; i < 200; i++) {
                f.back.doWork();
            }
            assertEquals(64, f.back.pendingRxFrames());
            assertEquals(5000 - 64, f.back.rxDropped());
            f.postRx(0, 16);
            final List<RxRsp> rsp = f.rxResponses();
            assertEquals(16, rsp.size());
            for (int i = 0; i < 16; i++) {
                assertEquals(new RxRsp(i, 0, 0, 1000), rsp.get(i));
            }
            assertEquals(48, f.back.pendingRxFrames());
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void receivedFramesAreCopiedIntoThePostedBuffersWithOneResponseEach() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final List<byte[]> frames = new ArrayList<>();
            for (final int n : new int[] {60, 1514, 4096, 9000}) {
                frames.add(frame(n, n));
                f.port.inbox.add(frames.get(frames.size() - 1));
            }
            f.postRx(0, 16);
            final List<RxRsp> rsp = f.rxResponses();
            // 1 + 1 + 1 + 3 slots (9000 bytes over 4 KiB pages with feature-sg).
            assertEquals(6, rsp.size(), rsp.toString());
            assertEquals(new RxRsp(3, 0, io.xen4j.abi.netif.Netif.NETRXF_MORE_DATA, 4096), rsp.get(3));
            assertEquals(new RxRsp(5, 0, 0, 9000 - 8192), rsp.get(5));
            final byte[] got = new byte[9000];
            for (int p = 0; p < 3; p++) {
                f.rxData.buffer().getBytes((3 + p) * 4096, got, p * 4096, Math.min(4096, 9000 - p * 4096));
            }
            assertArrayEquals(frames.get(3), got);
        }
    }
}
