package io.xen4j.net;

import static io.xen4j.abi.netif.Netif.NETIF_RSP_OKAY;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_GSO_TYPE_TCPV4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.abi.ring.SringHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The net rings across the 32-bit index wrap: every ring (tx, rx, control) starts a few slots
 * before 2^32 or 2^31 and carries checked frames over it, both ways, with multi-slot frames and
 * extra-info slots; and the event indices ({@code req_event}, {@code rsp_event}: rx-notify,
 * netback's wait for receive buffers, netfront's wait for responses) are set and honoured there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NetRingWrapTest {
    private static void pump(final NetWorld.Nic n, final BooleanSupplier done) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; front: " + n.front.brokenReason() + " back: " + n.back.brokenReason());
            }
            n.front.doWork();
            n.back.doWork();
        }
    }

    private static byte[] bytes(final ByteBuf f) {
        final byte[] b = new byte[f.readableBytes()];
        f.getBytes(f.readerIndex(), b);
        return b;
    }

    private static byte[] tcpFrame(final Random r, final int payload, final boolean blank) {
        final byte[] p = new byte[payload];
        r.nextBytes(p);
        return bytes(TestFrames.tcp(false, TestFrames.MAC_A, TestFrames.MAC_B, 1000 + r.nextInt(60000), 80, r.nextInt(), p, blank));
    }

    @ParameterizedTest(name = "rings start at {0}")
    @ValueSource(ints = {-3, -1, 0x7FFF_FFFD, 0x7FFF_FFFF})
    void checkedFramesCrossTheWrapOnEveryRingBothWays(final int start) throws Exception {
        try (NetWorld w = new NetWorld()) {
            final CapturePort port = new CapturePort();
            final List<byte[]> got = new ArrayList<>();
            final List<Offload> gotOffload = new ArrayList<>();
            final NetWorld.Nic n = w.add(w.guest("g"), 0, TestFrames.MAC_B, port, NetBackConfig.full(),
                NetFrontConfig.defaults().withControlRing(true), (f, o) -> {
                    got.add(bytes(f));
                    gotOffload.add(o);
                });
            n.front.startRingsAt(start);
            pump(n, n.front::isConnected);
            // The control ring: two hash configurations of five requests each cross the wrap.
            for (int c = 0; c < 2; c++) {
                final CompletableFuture<Void> done = n.front.configureHash(new HashConfig(NetCtrlRingTest.KEY,
                    XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, new int[] {0, 0}));
                pump(n, done::isDone);
                done.get();
            }
            final Random r = new Random(start);
            // tx: frames of every size up to the MTU (packed into shared pages, so some take two
            // slots) and GSO frames (several slots and an extra-info slot), 600 in all.
            final List<byte[]> sent = new ArrayList<>();
            for (int batch = 0; batch < 12; batch++) {
                for (int i = 0; i < 50; i++) {
                    final boolean gso = i % 10 == 0;
                    final byte[] f = tcpFrame(r, gso ? 3000 + r.nextInt(9000) : r.nextInt(1461), gso);
                    assertTrue(n.front.send(io.netty.buffer.Unpooled.wrappedBuffer(f), gso ? Offload.gso(false, 1448) : Offload.NONE));
                    sent.add(f);
                }
                pump(n, () -> port.sent.size() == sent.size());
            }
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), port.sent.get(i).frame(), "tx frame " + i);
                assertEquals(i % 10 == 0 ? XEN_NETIF_GSO_TYPE_TCPV4 : 0, port.sent.get(i).offload().gsoType(), "tx frame " + i);
            }
            // rx: the same mix from the port; each TCP frame also carries a hash extra-info slot.
            final List<byte[]> expected = new ArrayList<>();
            for (int batch = 0; batch < 12; batch++) {
                final boolean gso = batch % 3 == 2;
                port.inboxOffload = gso ? Offload.gso(false, 1448) : Offload.NONE;
                for (int i = 0; i < (gso ? 10 : 50); i++) {
                    final byte[] f = tcpFrame(r, gso ? 3000 + r.nextInt(20000) : r.nextInt(1461), gso);
                    port.inbox.add(f);
                    expected.add(f);
                }
                pump(n, () -> got.size() == expected.size());
            }
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i), "rx frame " + i);
                assertEquals(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, gotOffload.get(i).hashType(), "rx frame " + i);
            }
            assertEquals(0, n.front.rxErrors());
            assertEquals(0, n.front.txErrors());
            assertEquals(0, n.back.rxDropped());
            assertNull(n.front.brokenReason());
            assertNull(n.back.brokenReason());
        }
    }

    @ParameterizedTest(name = "rings start at {0}")
    @ValueSource(ints = {-3, -1, 0x7FFF_FFFD, 0x7FFF_FFFF})
    void netbackAsksForEventsAtTheRightIndexAcrossTheWrap(final int start) {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full(), false, start)) {
            final AtomicBuffer rxShared = f.rxRing.buffer();
            final AtomicBuffer txShared = f.txRing.buffer();
            for (int round = 0; round < 8; round++) {
                final byte[] frame = new byte[100 + round];
                new Random(round).nextBytes(frame);
                frame[12] = (byte) 0x88;
                frame[13] = (byte) 0xB5;
                f.port.inbox.add(frame);
                f.back.doWork();
                f.back.doWork();
                // No buffer: the frame waits, and netback asks to hear of the next buffer (rx-notify).
                assertEquals(1, f.back.pendingRxFrames(), "round " + round);
                final int reqProd = rxShared.getIntVolatile(SringHeader.REQ_PROD_OFFSET);
                assertEquals(reqProd + 1, rxShared.getIntVolatile(SringHeader.REQ_EVENT_OFFSET), "round " + round);
                final int id = round % RawNetFrontend.DATA_PAGES;
                assertTrue(f.postRxAndCheckNotify(id, 1), "round " + round + ": the posted buffer owes netback an event");
                final List<RawNetFrontend.RxRsp> rsp = f.rxResponses();
                assertEquals(List.of(new RawNetFrontend.RxRsp(id, 0, 0, frame.length)), rsp, "round " + round);
                final byte[] copied = new byte[frame.length];
                f.rxData.buffer().getBytes(id * 4096, copied);
                assertArrayEquals(frame, copied, "round " + round);
                // A buffer posted while netback waits for none owes no event.
                assertFalse(f.postRxAndCheckNotify((id + 1) % RawNetFrontend.DATA_PAGES, 1), "round " + round);
                f.port.inbox.add(frame);
                assertEquals(1, f.rxResponses().size(), "round " + round + ": delivered into the spare buffer");
                // tx: an idle netback asked for an event at the next request (req_event = req_cons + 1).
                f.back.doWork();
                assertEquals(txShared.getIntVolatile(SringHeader.REQ_PROD_OFFSET) + 1,
                    txShared.getIntVolatile(SringHeader.REQ_EVENT_OFFSET), "round " + round);
                f.data.buffer().putBytes(0, frame);
                f.slot(f.gref(0), 0, 0, round, frame.length);
                assertTrue(f.tx.pushRequestsAndCheckNotify(), "round " + round + ": the request owes netback an event");
                for (int i = 0; i < 3; i++) {
                    f.back.doWork();
                }
                final List<RawNetFrontend.TxRsp> txr = new ArrayList<>();
                f.tx.pollResponses((c, i) -> txr.add(new RawNetFrontend.TxRsp(io.xen4j.abi.netif.NetifTxResponse.id(c, 0),
                    io.xen4j.abi.netif.NetifTxResponse.status(c, 0))), 16);
                assertEquals(List.of(new RawNetFrontend.TxRsp(round, NETIF_RSP_OKAY)), txr, "round " + round);
                assertArrayEquals(frame, f.port.sent.get(round).frame(), "round " + round);
            }
            assertNull(f.back.brokenReason());
            // The indices did cross: 8 rounds of 2 rx and 1 tx slots from start.
            assertEquals(start + 16, rxShared.getIntVolatile(SringHeader.RSP_PROD_OFFSET));
            assertEquals(start + 8, txShared.getIntVolatile(SringHeader.RSP_PROD_OFFSET));
        }
    }

    @ParameterizedTest(name = "rings start at {0}")
    @ValueSource(ints = {-3, -1, 0x7FFF_FFFD, 0x7FFF_FFFF})
    void netfrontAsksForResponseEventsAcrossTheWrap(final int start) {
        try (RawNetBackend b = new RawNetBackend(new NetFrontConfig(1, true, true, true, true, true, false, false, 64), false, start)) {
            final AtomicBuffer rxShared = b.rxPage.buffer();
            final AtomicBuffer txShared = b.txPage.buffer();
            for (int round = 0; round < 8; round++) {
                // An idle netfront asked to hear of the next response on its rx ring.
                b.work();
                assertEquals(rxShared.getIntVolatile(SringHeader.RSP_PROD_OFFSET) + 1,
                    rxShared.getIntVolatile(SringHeader.RSP_EVENT_OFFSET), "round " + round);
                final byte[] data = new byte[60 + round];
                new Random(round).nextBytes(data);
                final int[] req = b.takeRx();
                b.fill(req[1], 0, data);
                b.rxResponse(req[0], 0, 0, data.length);
                assertTrue(b.pushRxAndCheckNotify(), "round " + round + ": the response owes netfront an event");
                assertEquals(round + 1, b.received.size(), "round " + round);
                assertArrayEquals(data, b.received.get(round), "round " + round);
                // tx: with a request outstanding, netfront asks to hear of its response.
                final List<RawNetBackend.TxReq> reqs = b.sendFromFront(200 + round);
                assertEquals(1, reqs.size());
                assertEquals(txShared.getIntVolatile(SringHeader.RSP_PROD_OFFSET) + 1,
                    txShared.getIntVolatile(SringHeader.RSP_EVENT_OFFSET), "round " + round);
                final int at = b.tx.claimResponse();
                b.tx.buffer().putShort(at, (short) reqs.get(0).id(), java.nio.ByteOrder.LITTLE_ENDIAN);
                b.tx.buffer().putShort(at + 2, (short) NETIF_RSP_OKAY, java.nio.ByteOrder.LITTLE_ENDIAN);
                assertTrue(b.tx.pushResponsesAndCheckNotify(), "round " + round);
                b.work();
            }
            assertNull(b.front.brokenReason());
            assertEquals(0, b.front.txErrors());
            assertEquals(start + 8, txShared.getIntVolatile(SringHeader.RSP_PROD_OFFSET));
        }
    }
}
