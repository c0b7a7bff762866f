package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A poll of the simulated evtchn device without a fault plan: it finds an empty queue without
 * the hypervisor lock, takes the lock only to take a port off the queue, and still refuses a
 * closed or revoked host.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class PollWithoutLockTest {
    private final SimulatedXen xen = SimulatedXen.create();
    private final SimulatedDomain guest = xen.createDomain("guest");

    @AfterEach
    void close() {
        xen.close();
    }

    @Test
    void anEmptyPollReturnsWhileAnotherThreadHoldsTheHypervisorLock() throws Exception {
        final EventChannels dom0 = xen.dom0().host().eventChannels();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread holder = new Thread(() -> {
            xen.hypervisor().lock.lock();
            try {
                held.countDown();
                done.await(20, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                xen.hypervisor().lock.unlock();
            }
        });
        holder.start();
        try {
            assertTrue(held.await(10, TimeUnit.SECONDS));
            assertEquals(0, assertTimeoutPreemptively(Duration.ofSeconds(5), () -> dom0.poll(8)));
        } finally {
            done.countDown();
            holder.join(10_000);
        }
    }

    @Test
    void queuedPortsAreDeliveredOnceEachWithinTheBudget() {
        final List<Integer> seen = new ArrayList<>();
        final EventChannels dom0 = xen.dom0().host().eventChannels();
        final List<EventChannel> backs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // The handler leaves the port masked: a send meanwhile stays pending until the unmask.
            final EventChannel back = dom0.allocateUnbound(guest.domid(), ch -> seen.add(ch.localPort()));
            backs.add(back);
            final EventChannel front = guest.host().eventChannels().bindInterdomain(0, back.localPort(), EventChannel::unmask);
            front.notifyPeer();
            front.notifyPeer();
        }
        assertEquals(2, dom0.poll(2));
        assertEquals(1, dom0.poll(8));
        assertEquals(0, dom0.poll(8));
        assertEquals(3, seen.size());
        assertEquals(3, seen.stream().distinct().count(), "each port once: the second send waits behind the mask");
        for (final EventChannel b : backs) {
            b.unmask();
        }
        assertEquals(3, dom0.poll(8), "delivered again on unmask");
        assertEquals(0, dom0.poll(8));
    }

    @Test
    void aPollOnAClosedHostFailsWithEbadfEvenWithNothingQueued() {
        final XenHost h = xen.dom0().openHost();
        final EventChannels ch = h.eventChannels();
        h.close();
        final XenHalException e = assertThrows(XenHalException.class, () -> ch.poll(8));
        assertEquals(Errno.EBADF, e.errno());
    }

    @Test
    void aPollOfADestroyedDomainFailsWithEsrch() {
        final EventChannels ch = guest.host().eventChannels();
        guest.destroy();
        final XenHalException e = assertThrows(XenHalException.class, () -> ch.poll(8));
        assertEquals(Errno.ESRCH, e.errno());
    }

    @Test
    void aClosedPortLeavesTheQueueAndIsNotDelivered() {
        final List<Integer> seen = new ArrayList<>();
        final EventChannels dom0 = xen.dom0().host().eventChannels();
        final EventChannel backA = dom0.allocateUnbound(guest.domid(), ch -> seen.add(ch.localPort()));
        final EventChannel backB = dom0.allocateUnbound(guest.domid(), ch -> seen.add(ch.localPort()));
        final EventChannels g = guest.host().eventChannels();
        g.bindInterdomain(0, backA.localPort(), EventChannel::unmask).notifyPeer();
        g.bindInterdomain(0, backB.localPort(), EventChannel::unmask).notifyPeer();
        final SimEventChannels channels = (SimEventChannels) dom0;
        assertEquals(2, channels.queued());
        backA.close();
        assertEquals(1, channels.queued());
        assertEquals(1, dom0.poll(8));
        assertEquals(List.of(backB.localPort()), seen);
        assertEquals(0, dom0.poll(8));
    }
}
