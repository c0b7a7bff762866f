package io.xen4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.hal.memory.SimulatedDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * netfront against netback through the simulated host, two guests on the in-memory switch, every
 * combination of scatter-gather, GSO, checksum offload, queue count and split event channels.
 * Frames from 60 bytes to 64 KiB GSO super-segments go both ways; every received frame's checksum
 * is checked and every flow's bytes compared.
 */
final class NetFrontBackTest {
    static Stream<Arguments> matrix() {
        final List<Arguments> out = new ArrayList<>();
        for (final boolean sg : new boolean[] {false, true}) {
            for (final boolean gso : new boolean[] {false, true}) {
                for (final boolean csum : new boolean[] {false, true}) {
                    for (final int queues : new int[] {1, 2, 4}) {
                        for (final boolean split : new boolean[] {false, true}) {
                            out.add(Arguments.of(sg, gso, csum, queues, split));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    /** The flows one side sends: destination port, IPv6, TCP, payload, GSO. */
    record Flow(int dport, boolean ipv6, boolean tcp, byte[] payload, boolean gso) {
    }

    static List<Flow> flows(final long seed) {
        final Random rnd = new Random(seed);
        final List<Flow> out = new ArrayList<>();
        int port = 5000;
        // 60-byte frames (18 bytes of UDP payload over IPv4).
        for (int i = 0; i < 8; i++) {
            out.add(new Flow(port++, false, false, bytes(rnd, 18), false));
        }
        for (int i = 0; i < 8; i++) {
            out.add(new Flow(port++, false, true, bytes(rnd, 1460), false));
        }
        for (int i = 0; i < 4; i++) {
            out.add(new Flow(port++, true, true, bytes(rnd, 1440), false));
        }
        out.add(new Flow(port++, true, false, bytes(rnd, 1000), false));
        // GSO super-segments up to the largest netif frame, 65535 bytes.
        out.add(new Flow(port++, false, true, bytes(rnd, 9000), true));
        out.add(new Flow(port++, false, true, bytes(rnd, 65535 - 54), true));
        out.add(new Flow(port++, true, true, bytes(rnd, 20000), true));
        out.add(new Flow(port++, true, true, bytes(rnd, 65535 - 74), true));
        return out;
    }

    private static byte[] bytes(final Random rnd, final int n) {
        final byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Slots of a one-page netif rx ring (8-byte requests and responses). */
    static final int RX_RING_SIZE = 256;

    /**
     * Sends 60-byte UDP frames (one receive slot each) from {@code sender} until every receive
     * queue of {@code receiver} has taken more frames than its ring has slots, and checks that
     * they all arrived.
     */
    static void wrapReceiveRings(final NetFront sender, final NetFront receiver, final FlowCollector at, final long src,
        final long dst, final int firstPort) throws InterruptedException {
        final Random rnd = new Random(firstPort);
        int port = firstPort;
        while (Arrays.stream(receiver.rxPacketsPerQueue()).min().orElse(0) <= RX_RING_SIZE + 8) {
            assertTrue(port < firstPort + 20 * RX_RING_SIZE, "the flows spread over every queue: "
                + Arrays.toString(receiver.rxPacketsPerQueue()));
            final List<Flow> batch = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                final Flow f = new Flow(port++, false, false, bytes(rnd, 18), false);
                at.expect(f.dport(), f.payload());
                batch.add(f);
            }
            send(sender, src, dst, batch, false);
            await(at, "ring wrap " + src + "->" + dst);
        }
    }

    static void send(final NetFront front, final long src, final long dst, final List<Flow> flows, final boolean csum) {
        for (final Flow f : flows) {
            final ByteBuf frame = f.tcp()
                ? TestFrames.tcp(f.ipv6(), src, dst, 40000 + f.dport(), f.dport(), TestFrames.ISN, f.payload(), csum || f.gso())
                : TestFrames.udp(f.ipv6(), src, dst, 40000 + f.dport(), f.dport(), f.payload(), csum);
            final Offload o = f.gso() ? Offload.gso(f.ipv6(), f.ipv6() ? 1428 : 1448) : csum ? Offload.CSUM_BLANK : Offload.NONE;
            assertTrue(front.send(frame, o), "send flow " + f.dport());
            frame.release();
        }
    }

    static void await(final FlowCollector c, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.complete() && c.errors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(List.of(), c.errors, what);
        assertTrue(c.complete(), what + ": incomplete:" + c.mismatch());
        assertEquals("", c.mismatch(), what);
    }

    /** The frontend's xenstore nodes, as netback (Linux's or ours) reads them. */
    private static void assertNegotiationNodes(final NetWorld w, final NetWorld.Nic n, final boolean sg, final boolean gso,
                                               final boolean csum, final int queues, final boolean split) {
        final String fe = n.device.frontend();
        final java.util.function.Function<String, String> read = node -> w.dom0Store.read(fe + "/" + node);
        assertEquals("1", read.apply("request-rx-copy"));
        assertEquals("1", read.apply("feature-rx-notify"));
        assertEquals(sg ? "1" : "0", read.apply("feature-sg"));
        assertEquals(sg && gso ? "1" : "0", read.apply("feature-gso-tcpv4"));
        assertEquals(sg && gso ? "1" : "0", read.apply("feature-gso-tcpv6"));
        assertEquals(csum ? "0" : "1", read.apply("feature-no-csum-offload"));
        assertEquals(csum ? "1" : "0", read.apply("feature-ipv6-csum-offload"));
        final List<String> dirs = new ArrayList<>();
        if (queues > 1) {
            assertEquals(Integer.toString(queues), read.apply("multi-queue-num-queues"));
            for (int q = 0; q < queues; q++) {
                dirs.add("queue-" + q + "/");
            }
        } else {
            dirs.add("");
        }
        for (final String d : dirs) {
            assertTrue(read.apply(d + "tx-ring-ref").matches("\\d+"), d + "tx-ring-ref");
            assertTrue(read.apply(d + "rx-ring-ref").matches("\\d+"), d + "rx-ring-ref");
            if (split) {
                assertTrue(read.apply(d + "event-channel-tx").matches("\\d+"));
                assertTrue(read.apply(d + "event-channel-rx").matches("\\d+"));
            } else {
                assertTrue(read.apply(d + "event-channel").matches("\\d+"));
            }
        }
        final String be = n.device.backend();
        assertEquals("1", w.dom0Store.read(be + "/feature-rx-copy"));
        assertEquals("4", w.dom0Store.read(be + "/multi-queue-max-queues"));
        assertEquals("1500", w.dom0Store.read(be + "/mtu"));
        assertEquals(split ? "1" : "0", w.dom0Store.read(be + "/feature-split-event-channels"));
        assertEquals("4", w.dom0Store.read(be + "/state"));
        assertEquals("4", w.dom0Store.read(fe + "/state"));
    }

    @ParameterizedTest(name = "sg={0} gso={1} csum={2} queues={3} split={4}")
    @MethodSource("matrix")
    @Timeout(60)
    void framesOfAllSizesCrossBothWaysWithEveryFeatureCombination(final boolean sg, final boolean gso, final boolean csum,
                                                                  final int queues, final boolean split) throws Exception {
        final NetBackConfig bc = new NetBackConfig(4, sg, gso, gso, csum, split, false, 1500, 256, 4 << 20);
        final NetFrontConfig fc = new NetFrontConfig(queues, sg, gso, gso, csum, csum, split, false, 4096);
        final FlowCollector atA = new FlowCollector();
        final FlowCollector atB = new FlowCollector();
        try (NetWorld w = new NetWorld()) {
            final SimulatedDomain ga = w.guest("a");
            final SimulatedDomain gb = w.guest("b");
            final NetWorld.Nic a = w.add(ga, 0, TestFrames.MAC_A, bc, fc, atA);
            final NetWorld.Nic b = w.add(gb, 0, TestFrames.MAC_B, bc, fc, atB);
            w.start();
            final NetInfo ia = a.awaitConnected();
            b.awaitConnected();
            assertEquals(queues, ia.queues());
            assertEquals(sg, ia.sg());
            assertEquals(sg && gso, ia.gsoTcpv4());
            assertEquals(sg && gso, ia.gsoTcpv6());
            assertEquals(csum, ia.ipv6CsumOffload());
            assertEquals(split, ia.splitEventChannels());
            assertEquals(TestFrames.MAC_A, ia.mac());
            assertNegotiationNodes(w, a, sg, gso, csum, queues, split);
            // Every receive ring goes round once before the flows: their frames then land in
            // pages that netfront kept, ended, read and granted again (not fresh shares).
            wrapReceiveRings(a.front, b.front, atB, TestFrames.MAC_A, TestFrames.MAC_B, 20_000);
            wrapReceiveRings(b.front, a.front, atA, TestFrames.MAC_B, TestFrames.MAC_A, 40_000);
            final List<Flow> ab = flows(1);
            final List<Flow> ba = flows(2);
            ab.forEach(f -> atB.expect(f.dport(), f.payload()));
            ba.forEach(f -> atA.expect(f.dport(), f.payload()));
            send(a.front, TestFrames.MAC_A, TestFrames.MAC_B, ab, csum);
            send(b.front, TestFrames.MAC_B, TestFrames.MAC_A, ba, csum);
            await(atB, "a->b");
            await(atA, "b->a");
            // GSO frames arrive whole only where both ends take GSO; else they were cut on the way.
            assertEquals(sg && gso, atB.gsoFrames.get() > 0, "GSO frames at b: " + atB.gsoFrames);
            assertEquals(csum || sg && gso, atB.blankFrames.get() > 0, "csum_blank frames at b: " + atB.blankFrames);
            if (queues > 1) {
                final long[] sent = a.front.txPacketsPerQueue();
                final long[] delivered = b.back.rxPacketsPerQueue();
                assertEquals(queues, sent.length);
                assertTrue(Arrays.stream(sent).allMatch(n -> n > 0), "tx spread " + Arrays.toString(sent));
                assertTrue(Arrays.stream(delivered).allMatch(n -> n > 0), "rx spread " + Arrays.toString(delivered));
            }
            for (final NetWorld.Nic n : w.nics) {
                assertNull(n.front.brokenReason());
                assertNull(n.back.brokenReason());
                assertEquals(0, n.front.rxErrors());
                assertEquals(0, n.front.txErrors());
                assertEquals(0, n.front.txDropped());
                assertEquals(0, n.back.rxDropped());
                assertEquals(0, n.front.leakedGrants());
                assertEquals((long) RX_RING_SIZE * queues, n.front.rxSharesMade(),
                    "one fresh share per receive ring slot, then the same pages granted again");
            }
        }
    }
}
