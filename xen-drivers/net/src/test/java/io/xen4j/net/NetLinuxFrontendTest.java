package io.xen4j.net;

import static io.xen4j.abi.netif.Netif.NETIF_RSP_OKAY;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CLOSED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CLOSING;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CONNECTED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_INITIALISING;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_INIT_WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.netif.NetifFeatures;
import io.xen4j.xenbus.XenbusStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * netback with a frontend that does the handshake as Linux's xen-netfront does (issue 7's gap):
 * straight from Initialising to Connected, {@code multi-queue-num-queues} written even for one
 * queue with flat keys, {@code queue-N/} keys for several, split or shared event channels. The
 * backend must connect, go Connected, and carry frames both ways on every queue.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NetLinuxFrontendTest {
    private static NetBackConfig offering(final int maxQueues, final boolean split) {
        return new NetBackConfig(maxQueues, true, true, true, true, split, true, 1500, 256, 4 << 20);
    }

    /** An Ethernet frame to the guest's MAC (unicast), IPv4 ethertype, random payload. */
    private static byte[] frame(final int len, final long seed) {
        final byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        final byte[] dst = {0x00, 0x16, 0x3e, 0x5a, 0x00, 0x01};
        System.arraycopy(dst, 0, b, 0, 6);
        b[6] = 0x02; // locally administered unicast source
        b[12] = 0x08;
        b[13] = 0x00;
        return b;
    }

    @ParameterizedTest(name = "backend offers {0} queue(s), guest wants {1}, split channels {2}")
    @CsvSource({
        "4, 1, false", // multi-queue-num-queues=1 with flat keys (a 1-vCPU Linux guest)
        "4, 1, true",
        "4, 2, true", // queue-0/ and queue-1/ keys, event-channel-tx/rx
        "4, 4, false",
        "2, 8, false", // the guest takes what the backend offers
        "1, 1, false",
    })
    void aFrontendThatGoesStraightToConnectedIsServed(final int offered, final int wanted, final boolean split) {
        try (LinuxStyleNetfront f = new LinuxStyleNetfront(offering(offered, split), wanted)) {
            f.back.start();
            assertTrue(f.handshake(), "backend did not connect: " + f.back.brokenReason());
            final int queues = Math.min(offered, wanted);
            assertEquals(XENBUS_STATE_CONNECTED, f.backState(), "backend state node");
            assertEquals(XENBUS_STATE_CONNECTED, f.frontState(), "the frontend never wrote Initialised");
            assertTrue(f.wroteNumQueues, "multi-queue-num-queues is written whenever the backend offers it");
            assertEquals(queues, f.back.queueCount());
            assertEquals(queues > 1, f.guestStore.exists(f.device.frontend(NetifFeatures.QUEUE_PREFIX + "0")),
                "queue-N/ keys only for several queues");

            // Guest -> port on every queue.
            for (int q = 0; q < queues; q++) {
                final byte[] b = frame(60 + q * 100, q);
                assertEquals(List.of(NETIF_RSP_OKAY), f.send(q, q, b), "tx response on queue " + q);
                assertArrayEquals(b, f.port.sent.get(q).frame(), "frame of queue " + q + " on the port");
            }
            assertEquals(queues, f.back.txPackets());

            // Port -> guest: buffers on every queue, each frame arrives intact on one of them.
            final int frames = 6;
            for (int q = 0; q < queues; q++) {
                for (int k = 0; k < frames; k++) {
                    f.postRx(q, q * frames + k);
                }
            }
            final List<byte[]> sent = new ArrayList<>();
            for (int k = 0; k < frames; k++) {
                final byte[] b = frame(64 + k * 211, 100 + k);
                sent.add(b);
                f.port.inbox.add(b);
            }
            for (int i = 0; i < 8; i++) {
                f.back.doWork();
            }
            final List<byte[]> got = new ArrayList<>();
            for (int q = 0; q < queues; q++) {
                got.addAll(f.received(q));
            }
            assertEquals(frames, got.size(), "frames delivered over " + queues + " queue(s)");
            for (final byte[] b : sent) {
                assertTrue(got.stream().anyMatch(g -> java.util.Arrays.equals(g, b)), "frame of " + b.length + " bytes delivered intact");
            }
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void aConnectedLeftOverFromAPreviousBackendIsNotTakenForAHandshake() {
        try (LinuxStyleNetfront f = new LinuxStyleNetfront(offering(4, false), 1)) {
            // The frontend still says Connected to a backend that is gone: no ring keys of ours.
            XenbusStates.write(f.guestStore, f.device.frontend(), XENBUS_STATE_CONNECTED);
            f.back.start();
            for (int i = 0; i < 20; i++) {
                f.back.doWork();
            }
            assertFalse(f.back.isConnected());
            assertNull(f.back.brokenReason(), "waiting is not an error");
            assertEquals(XENBUS_STATE_INIT_WAIT, f.backState());
            // The frontend starts over as Linux's xenbus_reset_state does: Closing until the
            // backend follows, Closed, Initialising; then straight to Connected on InitWait.
            XenbusStates.write(f.guestStore, f.device.frontend(), XENBUS_STATE_CLOSING);
            awaitBackend(f, XENBUS_STATE_CLOSING);
            XenbusStates.write(f.guestStore, f.device.frontend(), XENBUS_STATE_CLOSED);
            XenbusStates.write(f.guestStore, f.device.frontend(), XENBUS_STATE_INITIALISING);
            awaitBackend(f, XENBUS_STATE_INIT_WAIT);
            assertTrue(f.handshake(), "backend did not connect: " + f.back.brokenReason());
            assertEquals(XENBUS_STATE_CONNECTED, f.backState());
            assertEquals(1, f.back.queueCount());
        }
    }

    private static void awaitBackend(final LinuxStyleNetfront f, final int state) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (f.backState() != state && System.nanoTime() < deadline) {
            f.back.doWork();
            Thread.onSpinWait();
        }
        assertEquals(state, f.backState(), "backend state");
    }

    @Test
    void aBackendThatSeesOnlyTheConnectedOfAFastFrontendStillConnects() {
        try (LinuxStyleNetfront f = new LinuxStyleNetfront(offering(4, true), 2)) {
            f.back.start();
            // The frontend answers InitWait before the backend's first look at its state: the
            // watch shows Connected only, never Initialising.
            f.step();
            assertEquals(XENBUS_STATE_CONNECTED, f.frontState());
            f.back.doWork();
            assertTrue(f.back.isConnected(), "backend did not connect: " + f.back.brokenReason());
            assertEquals(2, f.back.queueCount());
        }
    }
}
