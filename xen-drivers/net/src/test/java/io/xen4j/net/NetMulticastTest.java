package io.xen4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Multicast control: a frontend that asks for it gets only the groups it joined (and broadcast). */
final class NetMulticastTest {
    private static final long GROUP = 0x01005E0000FBL;
    private static final long OTHER = 0x01005E000001L;

    @Test
    @Timeout(60)
    void onlyJoinedGroupsAndBroadcastReachAFrontendWithMulticastControl() throws Exception {
        final AtomicLong joined = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        final AtomicLong broadcast = new AtomicLong();
        try (NetWorld w = new NetWorld()) {
            final NetFrontConfig fc = new NetFrontConfig(1, true, true, true, true, true, false, true, 4096);
            final NetWorld.Nic a = w.add(w.guest("a"), 0, TestFrames.MAC_A, NetBackConfig.full(), fc, (f, o) -> { });
            final NetWorld.Nic b = w.add(w.guest("b"), 0, TestFrames.MAC_B, NetBackConfig.full(), fc, (f, o) -> {
                final long dst = io.xen4j.net.internal.Packets.destination(f);
                (dst == GROUP ? joined : dst == OTHER ? other : broadcast).incrementAndGet();
            });
            w.start();
            a.awaitConnected();
            assertTrue(b.awaitConnected().multicastControl());
            assertTrue(b.front.multicast(GROUP, true));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.back.multicastAddresses() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, b.back.multicastAddresses());
            for (final long dst : new long[] {GROUP, OTHER, 0xFFFF_FFFF_FFFFL}) {
                final ByteBuf f = TestFrames.udp(false, TestFrames.MAC_A, dst, 1, 2, new byte[20], false);
                a.front.send(f, Offload.NONE);
                f.release();
            }
            while ((joined.get() == 0 || broadcast.get() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(50);
            assertEquals(1, joined.get());
            assertEquals(1, broadcast.get());
            assertEquals(0, other.get());
            assertEquals(1, b.back.rxDropped(), "the group not joined is filtered");
            assertTrue(b.front.multicast(GROUP, false));
            while (b.back.multicastAddresses() == 1 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(0, b.back.multicastAddresses());
        }
    }
}
