package io.xen4j.net;

import static io.xen4j.abi.netif.Netif.NETRXF_EXTRA_INFO;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_KEY;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_EXTRA_FLAG_MORE;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_EXTRA_TYPE_GSO;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_EXTRA_TYPE_HASH;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_GSO_TYPE_TCPV4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.net.internal.Packets;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Receive hashing end to end: netfront sets Toeplitz hashing on the control ring, netback hashes
 * the frames for it and sends each hash in a {@code XEN_NETIF_EXTRA_TYPE_HASH} extra-info slot, and
 * netfront hands it over in the frame's {@link Offload}. The values are those of Microsoft's RSS
 * verification suite. Then a hostile backend's hash extras: unknown types, bad flags, repeats, and
 * hashes nobody asked for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NetRxHashTest {
    private static final byte[] KEY = NetCtrlRingTest.KEY;

    /** A frame with the addresses and ports of an RSS verification vector (source first). */
    private static byte[] vector(final boolean ipv6, final boolean tcp, final String src, final String dst, final int sport,
                                 final int dport) throws Exception {
        final ByteBuf f = tcp ? TestFrames.tcp(ipv6, TestFrames.MAC_A, TestFrames.MAC_B, sport, dport, 1, new byte[10], false)
            : TestFrames.udp(ipv6, TestFrames.MAC_A, TestFrames.MAC_B, sport, dport, new byte[10], false);
        final byte[] s = InetAddress.getByName(src).getAddress();
        final byte[] d = InetAddress.getByName(dst).getAddress();
        final int l3 = Packets.ETH_HLEN;
        f.setBytes(l3 + (ipv6 ? 8 : 12), s);
        f.setBytes(l3 + (ipv6 ? 24 : 16), d);
        if (!ipv6) {
            f.setShort(l3 + 10, 0);
        }
        assertTrue(Packets.completeChecksum(f));
        final byte[] out = new byte[f.readableBytes()];
        f.getBytes(0, out);
        return out;
    }

    private static final class Received {
        final List<byte[]> frames = new ArrayList<>();
        final List<Offload> offloads = new ArrayList<>();

        void add(final ByteBuf f, final Offload o) {
            final byte[] b = new byte[f.readableBytes()];
            f.getBytes(f.readerIndex(), b);
            frames.add(b);
            offloads.add(o);
        }
    }

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

    private static void configure(final NetWorld.Nic n, final HashConfig h) throws Exception {
        final CompletableFuture<Void> f = n.front.configureHash(h);
        pump(n, f::isDone);
        f.get();
    }

    @Test
    void netbackSendsTheRssHashOfEachFrameAndNetfrontExposesIt() throws Exception {
        try (NetWorld w = new NetWorld()) {
            final CapturePort port = new CapturePort();
            final Received rx = new Received();
            final NetWorld.Nic n = w.add(w.guest("g"), 0, TestFrames.MAC_B, port, NetBackConfig.full(),
                new NetFrontConfig(4, true, true, true, true, true, false, false, 256, true), rx::add);
            pump(n, n.front::isConnected);
            assertTrue(n.front.info().controlRing());
            // Before hashing is set, no frame carries a hash (none is sent to an unaware frontend).
            final byte[] v4tcp = vector(false, true, "66.9.149.187", "161.142.100.80", 2794, 1766);
            port.inbox.add(v4tcp);
            pump(n, () -> rx.frames.size() == 1);
            assertFalse(rx.offloads.get(0).hasHash());

            configure(n, new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP
                | XEN_NETIF_CTRL_HASH_TYPE_IPV6 | XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, new int[] {3, 2, 1, 0}));
            final long[] before = n.front.rxPacketsPerQueue();
            port.inbox.add(v4tcp);
            port.inbox.add(vector(false, false, "66.9.149.187", "161.142.100.80", 2794, 1766));
            port.inbox.add(vector(true, true, "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766));
            port.inbox.add(vector(true, false, "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766));
            pump(n, () -> rx.frames.size() == 5);
            // TCP takes the "maximal" type (addresses and ports); UDP falls back to the addresses.
            final int[][] expected = {
                {XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, 0x51ccc178},
                {XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0x323e8fc2},
                {XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, 0x40207d3d},
                {XEN_NETIF_CTRL_HASH_TYPE_IPV6, 0x2cc18cd5}};
            // The queues are served one after the other: frames come in queue order, so match by type.
            final long[] perQueue = new long[4];
            final java.util.Map<Integer, Integer> byType = new java.util.HashMap<>();
            for (int i = 1; i < 5; i++) {
                final Offload o = rx.offloads.get(i);
                assertNull(byType.put(o.hashType(), o.hash()), "one frame per hash type: " + o);
                if (o.hashType() == XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP) {
                    assertArrayEquals(v4tcp, rx.frames.get(i));
                }
            }
            for (int i = 0; i < expected.length; i++) {
                final Integer got = byType.get(expected[i][0]);
                assertNotNull(got, "a frame with hash type " + expected[i][0]);
                assertEquals(expected[i][1], got.intValue(), "hash type " + expected[i][0] + ": 0x" + Integer.toHexString(got));
                perQueue[new int[] {3, 2, 1, 0}[Integer.remainderUnsigned(expected[i][1], 4)]]++;
            }
            final long[] after = n.front.rxPacketsPerQueue();
            for (int q = 0; q < 4; q++) {
                assertEquals(perQueue[q], after[q] - before[q], "frames on queue " + q + " (the mapping names it)");
            }
            assertEquals(0, n.front.rxErrors());
        }
    }

    @Test
    void aGsoFrameCarriesBothExtrasAndOnlyTheTypesAskedForAreHashed() throws Exception {
        try (NetWorld w = new NetWorld()) {
            final CapturePort port = new CapturePort();
            final Received rx = new Received();
            final NetWorld.Nic n = w.add(w.guest("g"), 0, TestFrames.MAC_B, port, NetBackConfig.full(),
                NetFrontConfig.defaults().withControlRing(true), rx::add);
            pump(n, n.front::isConnected);
            // Addresses only: TCP frames get the IPv4 hash; IPv6 frames none. An empty mapping: hash mod queues.
            configure(n, new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4, new int[0]));
            final byte[] payload = new byte[3000];
            new java.util.Random(7).nextBytes(payload);
            final ByteBuf big = TestFrames.tcp(false, TestFrames.MAC_A, TestFrames.MAC_B, 2794, 1766, 1, payload, true);
            big.setBytes(Packets.ETH_HLEN + 12, InetAddress.getByName("66.9.149.187").getAddress());
            big.setBytes(Packets.ETH_HLEN + 16, InetAddress.getByName("161.142.100.80").getAddress());
            final byte[] bytes = new byte[big.readableBytes()];
            big.getBytes(0, bytes);
            port.inboxOffload = Offload.gso(false, 1000);
            port.inbox.add(bytes);
            pump(n, () -> rx.frames.size() == 1);
            port.inboxOffload = Offload.NONE;
            port.inbox.add(vector(true, true, "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766));
            pump(n, () -> rx.frames.size() == 2);
            final Offload o = rx.offloads.get(0);
            assertEquals(XEN_NETIF_GSO_TYPE_TCPV4, o.gsoType());
            assertEquals(1000, o.gsoSize());
            assertEquals(XEN_NETIF_CTRL_HASH_TYPE_IPV4, o.hashType());
            assertEquals(0x323e8fc2, o.hash());
            assertArrayEquals(bytes, rx.frames.get(0));
            assertFalse(rx.offloads.get(1).hasHash(), "IPv6 is not among the types asked for");
            assertEquals(0, n.front.rxErrors());
        }
    }

    @Test
    void withoutAControlRingConfigureHashFails() throws Exception {
        try (NetWorld w = new NetWorld()) {
            final NetWorld.Nic n = w.add(w.guest("g"), 0, TestFrames.MAC_B, new CapturePort(), NetBackConfig.full(),
                NetFrontConfig.defaults(), (f, o) -> { });
            pump(n, n.front::isConnected);
            final ExecutionException e = assertThrows(ExecutionException.class,
                () -> n.front.configureHash(new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4, new int[0])).get(5, TimeUnit.SECONDS));
            final String why = String.valueOf(e.getCause());
            assertTrue(why.contains("no control ring"), why);
        }
        assertThrows(IllegalArgumentException.class, () -> new HashConfig(new byte[41], XEN_NETIF_CTRL_HASH_TYPE_IPV4, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new HashConfig(KEY, 0x10, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4, new int[129]));
        assertThrows(IllegalArgumentException.class, () -> new Offload(false, false, 0, 0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new Offload(false, false, 0, 0, 0, 1));
    }

    // ------------------------------------------------------------------ a hostile backend

    private static RawNetBackend hashingBackend(final boolean configure) {
        final RawNetBackend b = new RawNetBackend(new NetFrontConfig(1, true, true, true, true, true, false, false, 64, true), true);
        if (configure) {
            final CompletableFuture<Void> f = b.front.configureHash(new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, new int[0]));
            b.work();
            assertEquals(List.of(XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
                XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING),
                b.answerCtrl(XEN_NETIF_CTRL_STATUS_SUCCESS));
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
        }
        return b;
    }

    private static byte[] extra(final int type, final int flags, final int htype, final int alg, final int value) {
        return new byte[] {(byte) type, (byte) flags, (byte) htype, (byte) alg, (byte) value, (byte) (value >>> 8),
            (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    /** One 100-byte frame in a data slot followed by the given extra-info slots. */
    private static void frame(final RawNetBackend b, final byte[]... extras) {
        final byte[] data = new byte[100];
        data[12] = 0x08;
        final int[] first = b.takeRx();
        final int[][] more = new int[extras.length][];
        for (int i = 0; i < extras.length; i++) {
            more[i] = b.takeRx();
        }
        b.fill(first[1], 0, data);
        b.rxResponse(first[0], 0, extras.length > 0 ? NETRXF_EXTRA_INFO : 0, data.length);
        for (final byte[] e : extras) {
            b.rxRaw(e);
        }
        b.pushRx();
    }

    @Test
    void aValidHashExtraIsExposedAndHostileOnesDropTheirFrame() {
        try (RawNetBackend b = hashingBackend(true)) {
            frame(b, extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 1, 0x51ccc178));
            assertEquals(1, b.received.size());
            assertEquals(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, b.offloads.get(0).hashType());
            assertEquals(0x51ccc178, b.offloads.get(0).hash());
            final byte[][][] hostile = {
                {extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 7, 1, 1)},            // unknown hash type
                {extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 0, 1, 1)},            // a type not asked for (IPV4)
                {extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 2, 1)},            // unknown algorithm
                {extra(XEN_NETIF_EXTRA_TYPE_HASH, 0x80, 1, 1, 1)},         // unknown flag bits
                {extra(9, 0, 1, 1, 1)},                                    // unknown extra-info type
                {extra(0, 0, 1, 1, 1)},                                    // XEN_NETIF_EXTRA_TYPE_NONE
                {extra(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, 1, 1, 1)},       // transmit-only type
                {extra(XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE, 1, 1, 1), extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 1, 2)},
                {extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 0, 0, 0), extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 1, 2)},
            };
            for (int i = 0; i < hostile.length; i++) {
                frame(b, hostile[i]);
                assertEquals(1, b.received.size(), "hostile case " + i + " must be dropped");
                assertEquals(i + 1, b.front.rxErrors(), "hostile case " + i + " is counted");
                assertNull(b.front.brokenReason(), "case " + i);
            }
            // The device still works: a valid frame with GSO and hash extras.
            frame(b, extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 0, 0, 0), extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 1, 5));
            assertEquals(1, b.received.size(), "gso size 0 in the GSO extra: dropped");
            final byte[] gso = extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 0, 0, 0);
            gso[2] = (byte) 0xDC;
            gso[3] = 0x05;
            gso[4] = XEN_NETIF_GSO_TYPE_TCPV4;
            frame(b, gso, extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 1, 5));
            assertEquals(2, b.received.size());
            assertEquals(1500, b.offloads.get(1).gsoSize());
            assertEquals(5, b.offloads.get(1).hash());
            assertNull(b.front.brokenReason());
        }
    }

    @Test
    void aHashTheFrontendDidNotAskForDropsTheFrame() {
        try (RawNetBackend b = hashingBackend(false)) {
            frame(b, extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 1, 0x51ccc178));
            assertEquals(0, b.received.size());
            assertEquals(1, b.front.rxErrors());
            frame(b);
            assertEquals(1, b.received.size());
            assertFalse(b.offloads.get(0).hasHash());
        }
    }

    @Test
    void controlResponsesAreCheckedAndARefusalFailsTheConfiguration() {
        try (RawNetBackend b = hashingBackend(false)) {
            final CompletableFuture<Void> f = b.front.configureHash(new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4, new int[] {0}));
            b.work();
            b.answerCtrl(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
            final ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
            final String why = String.valueOf(e.getCause());
            assertTrue(why.contains("refused control request type 7 with status 2"), why);
            assertNull(b.front.brokenReason());
        }
        try (RawNetBackend b = hashingBackend(false)) {
            b.front.configureHash(new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4, new int[0]));
            b.work();
            b.consumeCtrl();
            b.ctrlResponse(4000, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, XEN_NETIF_CTRL_STATUS_SUCCESS);
            java.util.Objects.requireNonNull(b.ctrl).pushResponses();
            b.work();
            assertNotNull(b.front.brokenReason());
            assertTrue(String.valueOf(b.front.brokenReason()).contains("control response id=4000"), b.front.brokenReason());
        }
        try (RawNetBackend b = hashingBackend(false)) {
            b.front.configureHash(new HashConfig(KEY, XEN_NETIF_CTRL_HASH_TYPE_IPV4, new int[0]));
            b.work();
            b.consumeCtrl();
            b.ctrlResponse(0, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, XEN_NETIF_CTRL_STATUS_SUCCESS);
            java.util.Objects.requireNonNull(b.ctrl).pushResponses();
            b.work();
            assertTrue(String.valueOf(b.front.brokenReason()).contains("has type=3"), b.front.brokenReason());
        }
    }
}
