package io.xen4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.hal.memory.FaultKind;
import io.xen4j.hal.memory.FaultPlan;
import io.xen4j.hal.memory.FaultRule;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.net.internal.Packets;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults of the simulated host: lost, duplicated and spurious notifications; a backend that crashes with traffic flowing. */
final class NetFaultTest {
    @Test
    @Timeout(60)
    void lostDuplicatedAndSpuriousNotificationsLoseNoFrame() throws Exception {
        final SimulatedXen xen = SimulatedXen.builder().seed(42).faultPlan(FaultPlan.of(
            FaultRule.of(FaultKind.DROP_NOTIFICATION).probability(0.5),
            FaultRule.of(FaultKind.DUPLICATE_NOTIFICATION).probability(0.2),
            FaultRule.of(FaultKind.SPURIOUS_EVENT).probability(0.1))).build();
        final FlowCollector atB = new FlowCollector();
        try (NetWorld w = new NetWorld(xen)) {
            final NetFrontConfig fc = new NetFrontConfig(2, true, true, true, true, true, true, false, 4096);
            final NetWorld.Nic a = w.add(w.guest("a"), 0, TestFrames.MAC_A, NetBackConfig.full(), fc, (f, o) -> { });
            final NetWorld.Nic b = w.add(w.guest("b"), 0, TestFrames.MAC_B, NetBackConfig.full(), fc, atB);
            w.start();
            a.awaitConnected();
            b.awaitConnected();
            final List<NetFrontBackTest.Flow> flows = NetFrontBackTest.flows(10);
            flows.forEach(f -> atB.expect(f.dport(), f.payload()));
            NetFrontBackTest.send(a.front, TestFrames.MAC_A, TestFrames.MAC_B, flows, true);
            NetFrontBackTest.await(atB, "lost notifications");
            assertTrue(xen.faultLog().count(FaultKind.DROP_NOTIFICATION) > 0, xen.faultLog().toString());
            assertNull(a.front.brokenReason());
            assertNull(a.back.brokenReason());
        }
    }

    @Test
    @Timeout(60)
    void backendRestartWithTrafficFlowingReconnectsAndTrafficResumes() throws Exception {
        final BitSet seen = new BitSet();
        final AtomicLong bad = new AtomicLong();
        try (NetWorld w = new NetWorld()) {
            final NetFrontConfig fc = new NetFrontConfig(2, true, true, true, true, true, false, false, 4096);
            final NetWorld.Nic a = w.add(w.guest("a"), 0, TestFrames.MAC_A, NetBackConfig.full(), fc, (f, o) -> { });
            final NetWorld.Nic b = w.add(w.guest("b"), 0, TestFrames.MAC_B, NetBackConfig.full(), fc, (f, o) -> {
                final ByteBuf copy = f.copy();
                if (o.csumBlank() ? !Packets.completeChecksum(copy) : !Packets.verifyChecksum(copy)) {
                    bad.incrementAndGet();
                }
                final int seq = copy.getInt(copy.readerIndex() + 42);
                synchronized (seen) {
                    seen.set(seq);
                }
                copy.release();
            });
            w.start();
            a.awaitConnected();
            b.awaitConnected();
            int seq = 0;
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean restarted = false;
            int restartedAt = -1;
            while (System.nanoTime() < end) {
                final byte[] payload = new byte[64];
                java.nio.ByteBuffer.wrap(payload).putInt(seq);
                final ByteBuf frame = TestFrames.udp(false, TestFrames.MAC_A, TestFrames.MAC_B, 4000, 5000 + (seq & 7), payload, true);
                if (a.front.send(frame, Offload.CSUM_BLANK)) {
                    seq++;
                }
                frame.release();
                Thread.sleep(0, 200_000);
                if (!restarted && seq == 500) {
                    // A crash mid-stream: the frontend must see the new backend's InitWait and set up again.
                    w.restartBackend(a);
                    restarted = true;
                    restartedAt = seq;
                }
                if (restarted && seq >= restartedAt + 1000) {
                    break;
                }
            }
            final long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < wait) {
                synchronized (seen) {
                    if (seen.get(seq - 1)) {
                        break;
                    }
                }
                Thread.sleep(5);
            }
            assertTrue(restarted, "sent " + seq + " frames");
            assertEquals(1, a.front.reconnects(), "reconnections");
            assertTrue(a.back.isConnected());
            synchronized (seen) {
                assertTrue(seen.get(seq - 1), "the last frame arrived after the restart; seen " + seen.cardinality() + " of " + seq);
                // Frames in flight at the crash may be lost; the rest arrive.
                assertTrue(seen.cardinality() > seq - 300, "seen " + seen.cardinality() + " of " + seq);
                assertTrue(seen.get(0) && seen.get(restartedAt + 500));
            }
            assertEquals(0, bad.get(), "frames with a bad checksum");
            assertNull(a.front.brokenReason());
            assertEquals(0, a.front.leakedGrants());
        }
    }
}
