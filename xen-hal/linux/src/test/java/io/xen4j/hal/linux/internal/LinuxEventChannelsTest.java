package io.xen4j.hal.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.XenHalException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The dispatch logic of the Linux event channels against a fake device that masks and queues as
 * the kernel driver does: budget, masking, stale ports, handler failures, ring overflow, waiting.
 */
class LinuxEventChannelsTest {
    private final FakeEvtchnDevice device = new FakeEvtchnDevice();
    private final HostCore host = new HostCore(new LinuxPaths(Path.of("/nonexistent/dev/xen"),
        Path.of("/nonexistent/sys"), Path.of("/nonexistent/proc")),
        new PlatformFacts(true, GuestType.PV, 4, 17, ".7", true, true), 0);
    private final LinuxEventChannels channels = new LinuxEventChannels(host, op -> device);

    private static final class Counter implements io.xen4j.hal.api.EventHandler {
        final AtomicInteger calls = new AtomicInteger();
        final boolean unmask;

        Counter(final boolean unmask) {
            this.unmask = unmask;
        }

        @Override
        public void onEvent(final EventChannel channel) {
            calls.incrementAndGet();
            if (unmask) {
                channel.unmask();
            }
        }
    }

    @Test
    void aBoundPortDeliversOnceUntilUnmasked() {
        final Counter h = new Counter(false);
        final EventChannel ch = channels.bindInterdomain(1, 9, h);
        assertEquals(EventChannel.Kind.INTERDOMAIN, ch.kind());
        assertEquals(1, channels.poll(8), "the initial event");
        device.raise(ch.localPort());
        device.raise(ch.localPort());
        assertEquals(0, channels.poll(8), "masked");
        assertFalse(channels.awaitEvent(TimeUnit.MILLISECONDS.toNanos(5)));
        ch.unmask();
        assertEquals(1, channels.poll(8), "the events raised while masked, coalesced");
        assertEquals(2, h.calls.get());
        ch.close();
    }

    @Test
    void pollKeepsWhatItReadBeyondItsBudget() {
        final List<EventChannel> open = new ArrayList<>();
        final Counter h = new Counter(false);
        for (int i = 0; i < 5; i++) {
            open.add(channels.bindInterdomain(1, 10 + i, h));
        }
        assertEquals(2, channels.poll(2));
        assertEquals(2, channels.poll(2));
        assertEquals(1, channels.poll(2));
        assertEquals(0, channels.poll(2));
        assertEquals(5, h.calls.get());
        open.forEach(EventChannel::close);
        assertThrows(IllegalArgumentException.class, () -> channels.poll(0));
    }

    @Test
    void aHandlerExceptionLeavesTheRestQueued() {
        final AtomicInteger calls = new AtomicInteger();
        final EventChannel a = channels.bindInterdomain(1, 20, ch -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        final Counter h = new Counter(true);
        final EventChannel b = channels.bindInterdomain(1, 21, h);
        assertThrows(IllegalStateException.class, () -> channels.poll(8));
        assertTrue(channels.awaitEvent(0), "b's event is still queued");
        assertEquals(1, channels.poll(8));
        assertEquals(1, h.calls.get());
        assertEquals(1, calls.get());
        a.close();
        b.close();
    }

    @Test
    void portsNoChannelOwnsAreDroppedAndDoNotCount() {
        device.initialEventOnBind = false;
        final Counter h = new Counter(false);
        final EventChannel ch = channels.allocateUnbound(2, h);
        device.queueStale(99);
        device.raise(ch.localPort());
        assertEquals(1, channels.poll(8));
        ch.close();
        device.queueStale(ch.localPort());
        assertEquals(0, channels.poll(8), "the closed channel's stale port is dropped");
        assertEquals(1, h.calls.get());
    }

    @Test
    void anOverflowResetsTheRingAndDeliversEveryBoundPortOnce() {
        device.initialEventOnBind = false;
        final Counter h = new Counter(false);
        final EventChannel a = channels.allocateUnbound(2, h);
        final EventChannel b = channels.allocateUnbound(2, h);
        device.overflowOnce = true;
        assertEquals(2, channels.poll(8));
        assertEquals(1, device.resets);
        assertEquals(2, h.calls.get());
        a.close();
        b.close();
    }

    @Test
    void argumentsAreCheckedBeforeTheDevice() {
        final Counter h = new Counter(false);
        final XenHalException virq = assertThrows(XenHalException.class, () -> channels.bindVirq(24, h));
        assertEquals(Errno.EINVAL, virq.errno());
        assertTrue(String.valueOf(virq.getMessage()).contains("VIRQ 24"), virq.getMessage());
        assertThrows(XenHalException.class, () -> channels.bindVirq(-1, h));
        assertThrows(XenHalException.class, () -> channels.allocateUnbound(-1, h));
        assertThrows(XenHalException.class, () -> channels.allocateUnbound(0x10000, h));
        assertThrows(XenHalException.class, () -> channels.bindInterdomain(1, 0, h));
        assertEquals(5, device.peekNextPort(), "nothing reached the device");
    }

    @Test
    void notifyGoesToTheDeviceExceptOnAVirqPort() {
        final EventChannel ch = channels.allocateUnbound(2, new Counter(false));
        ch.notifyPeer();
        ch.notifyPeer();
        assertEquals(2, device.notifications(ch.localPort()));
        final EventChannel v = channels.bindVirq(8, new Counter(false));
        assertEquals(8, v.virq());
        final XenHalException e = assertThrows(XenHalException.class, v::notifyPeer);
        assertEquals(Errno.EINVAL, e.errno());
        v.close();
        ch.close();
        final HandleClosedException closed = assertThrows(HandleClosedException.class, ch::notifyPeer);
        assertTrue(String.valueOf(closed.getMessage()).contains("port " + ch.localPort()), closed.getMessage());
        assertThrows(HandleClosedException.class, ch::close);
        assertEquals(0, channels.boundCount());
    }

    @Test
    void awaitEventTimesOutWakesAndHonoursInterrupts() throws InterruptedException {
        device.initialEventOnBind = false;
        final EventChannel ch = channels.allocateUnbound(2, new Counter(false));
        final long start = System.nanoTime();
        assertFalse(channels.awaitEvent(TimeUnit.MILLISECONDS.toNanos(30)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(25));
        final Thread raiser = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            device.raise(ch.localPort());
        });
        raiser.start();
        assertTrue(channels.awaitEvent(TimeUnit.SECONDS.toNanos(5)));
        raiser.join();
        Thread.currentThread().interrupt();
        try {
            final long t = System.nanoTime();
            channels.poll(8);
            assertFalse(channels.awaitEvent(TimeUnit.SECONDS.toNanos(5)));
            assertTrue(System.nanoTime() - t < TimeUnit.SECONDS.toNanos(1));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        ch.close();
    }

    @Test
    void closingTheHostClosesTheChannelsAndRefusesNewBindings() {
        final EventChannel ch = channels.allocateUnbound(2, new Counter(false));
        host.close();
        assertTrue(ch.isClosed());
        assertEquals(0, channels.poll(8));
        final XenHalException e = assertThrows(XenHalException.class, () -> channels.allocateUnbound(2, new Counter(false)));
        assertEquals(Errno.EBADF, e.errno());
        assertFalse(channels.awaitEvent(TimeUnit.MILLISECONDS.toNanos(1)));
    }
}
