package io.xen4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.hal.memory.ResourceCounts;
import io.xen4j.hal.memory.SimulatedDomain;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At steady state netfront's transmit path grants no new pages: its transmit shares are reused
 * once every slot in them is answered (persistent read-only grants), and the frames stay intact
 * when the pages they were packed into are filled again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NetTxSteadyStateTest {
    @Test
    void aSteadyFlowReusesItsTransmitGrants() {
        try (NetWorld w = new NetWorld()) {
            final CapturePort port = new CapturePort();
            final SimulatedDomain guest = w.guest("g");
            final NetWorld.Nic n = w.add(guest, 0, TestFrames.MAC_B, port, NetBackConfig.full(), NetFrontConfig.defaults(),
                (f, o) -> { });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!n.front.isConnected() && System.nanoTime() < deadline) {
                n.front.doWork();
                n.back.doWork();
            }
            final ByteBuf frame = Unpooled.directBuffer(1500).writeZero(1500);
            frame.setShort(12, 0x88B5);
            ResourceCounts warm = null;
            long sharesWarm = 0;
            int sent = 0;
            // 1 600 frames of 1 500 bytes: 2.4 MB through 128 KiB shares, about 18 fills.
            for (int round = 0; round < 25; round++) {
                for (int i = 0; i < 64; i++) {
                    frame.setInt(20, sent++);
                    n.front.send(frame, Offload.NONE);
                }
                final int target = sent;
                while (port.sent.size() < target && System.nanoTime() < deadline) {
                    n.front.doWork();
                    n.back.doWork();
                }
                if (round == 4) {
                    warm = guest.resources();
                    sharesWarm = n.front.txSharesMade();
                }
            }
            assertEquals(sent, port.sent.size());
            for (int i = 0; i < sent; i++) {
                final byte[] want = new byte[1500];
                frame.getBytes(0, want);
                want[20] = (byte) (i >>> 24);
                want[21] = (byte) (i >>> 16);
                want[22] = (byte) (i >>> 8);
                want[23] = (byte) i;
                assertArrayEquals(want, port.sent.get(i).frame(), "frame " + i);
            }
            final ResourceCounts now = guest.resources();
            assertEquals(java.util.Objects.requireNonNull(warm).grantRefs(), now.grantRefs(), "grants at steady state: " + warm + " then " + now);
            assertEquals(warm.sharedPages(), now.sharedPages(), "pages at steady state");
            assertEquals(sharesWarm, n.front.txSharesMade(), "no share made at steady state");
            assertEquals(0, n.front.leakedGrants());
            assertNull(n.front.brokenReason());
            // Sent by the thread that polls the agent, between polls: straight into the pages.
            assertEquals(sent, n.front.directSends(), "frames sent without the send ring");
        }
    }
}
