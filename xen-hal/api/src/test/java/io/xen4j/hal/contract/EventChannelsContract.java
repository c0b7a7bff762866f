package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.EventLoop;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventChannels}: the port rules of {@code xen/event_channel.h} and the
 * delivery rules of the Linux evtchn device, between a guest (the frontend, which allocates the
 * unbound port) and a privileged domain (the backend, which binds it).
 */
public abstract class EventChannelsContract extends HalContract {
    private static final long SHORT_WAIT = TimeUnit.MILLISECONDS.toNanos(20);

    /** Both ends of a connected channel and their handlers. */
    protected record Pair(EventChannel front, CountingHandler frontEvents, EventChannel back, CountingHandler backEvents) {
    }

    /**
     * Connects the guest (front, allocates) and the privileged domain (back, binds), draining the
     * initial event Xen gives the binder.
     *
     * @return the pair
     */
    protected final Pair connect() {
        final XenHost front = bed().guest();
        final XenHost back = bed().privileged();
        final CountingHandler fe = new CountingHandler();
        final CountingHandler be = new CountingHandler();
        final EventChannel f = front.eventChannels().allocateUnbound(back.domid(), fe);
        final EventChannel b = back.eventChannels().bindInterdomain(front.domid(), f.localPort(), be);
        settle(back.eventChannels(), b);
        be.reset();
        return new Pair(f, fe, b, be);
    }

    @Test
    void allocateUnboundGivesAPortForTheNamedDomain() {
        final XenHost guest = bed().guest();
        try (EventChannel ch = guest.eventChannels().allocateUnbound(bed().privileged().domid(), new CountingHandler())) {
            assertTrue(ch.localPort() > 0, "port 0 is never allocated");
            assertEquals(EventChannel.Kind.UNBOUND, ch.kind());
            assertEquals(bed().privileged().domid(), ch.remoteDomid());
            assertEquals(-1, ch.virq());
        }
    }

    @Test
    void bindInterdomainDeliversAnInitialEventToTheBinder() {
        // Xen sets the binder's port pending: notifications to the unbound port may have been lost.
        final XenHost front = bed().guest();
        final XenHost back = bed().privileged();
        final CountingHandler be = new CountingHandler();
        try (EventChannel f = front.eventChannels().allocateUnbound(back.domid(), new CountingHandler());
             EventChannel b = back.eventChannels().bindInterdomain(front.domid(), f.localPort(), be)) {
            assertEquals(EventChannel.Kind.INTERDOMAIN, b.kind());
            assertEquals(front.domid(), b.remoteDomid());
            assertEquals(1, pollFor(back.eventChannels(), 1));
            assertEquals(1, be.calls());
        }
    }

    @Test
    void notifyPeerDeliversBothWays() {
        final Pair p = connect();
        p.front().notifyPeer();
        assertEquals(1, pollFor(bed().privileged().eventChannels(), 1));
        assertEquals(1, p.backEvents().calls());
        p.back().notifyPeer();
        assertEquals(1, pollFor(bed().guest().eventChannels(), 1));
        assertEquals(1, p.frontEvents().calls());
    }

    @Test
    void deliveredPortStaysMaskedUntilUnmask() {
        final Pair p = connect();
        final EventChannels back = bed().privileged().eventChannels();
        p.front().notifyPeer();
        pollFor(back, 1);
        p.front().notifyPeer();
        assertFalse(back.awaitEvent(SHORT_WAIT), "a masked port must not be delivered");
        assertEquals(0, back.poll(8));
        p.back().unmask();
        assertEquals(1, pollFor(back, 1), "the event sent while masked is delivered on unmask");
        assertEquals(2, p.backEvents().calls());
    }

    @Test
    void unmaskWithNothingPendingDeliversNothing() {
        final Pair p = connect();
        final EventChannels back = bed().privileged().eventChannels();
        p.front().notifyPeer();
        pollFor(back, 1);
        p.back().unmask();
        assertFalse(back.awaitEvent(SHORT_WAIT));
        assertEquals(0, back.poll(8));
    }

    @Test
    void notificationsWhilePendingCoalesce() {
        final Pair p = connect();
        final EventChannels back = bed().privileged().eventChannels();
        for (int i = 0; i < 5; i++) {
            p.front().notifyPeer();
        }
        pollFor(back, 1);
        for (int i = 0; i < 5; i++) {
            p.front().notifyPeer();
        }
        p.back().unmask();
        pollFor(back, 1);
        assertEquals(0, back.poll(8));
        assertEquals(2, p.backEvents().calls(), "ten notifications, two deliveries");
    }

    @Test
    void aFloodOfNotificationsCostsBoundedWork() {
        // SECURITY-RULES R8: a hostile peer cannot make the consumer do work per notification.
        final Pair p = connect();
        final EventChannels back = bed().privileged().eventChannels();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 1_000; i++) {
                p.front().notifyPeer();
            }
            pollFor(back, 1);
            assertEquals(0, back.poll(1_000));
            p.back().unmask();
        }
        drain(back);
        assertTrue(p.backEvents().calls() <= 11, () -> "10000 notifications gave " + p.backEvents().calls() + " calls");
    }

    @Test
    void pollIsBoundedByMaxEvents() {
        final XenHost front = bed().guest();
        final XenHost back = bed().privileged();
        final List<EventChannel> open = new ArrayList<>();
        final CountingHandler be = new CountingHandler();
        try {
            for (int i = 0; i < 5; i++) {
                final EventChannel f = front.eventChannels().allocateUnbound(back.domid(), new CountingHandler());
                final EventChannel b = back.eventChannels().bindInterdomain(front.domid(), f.localPort(), be);
                open.add(f);
                open.add(b);
            }
            // Each binding got its initial event: five ports pending, each queued once.
            back.eventChannels().awaitEvent(SHORT_WAIT);
            assertEquals(2, back.eventChannels().poll(2));
            assertEquals(2, back.eventChannels().poll(2));
            assertEquals(1, pollFor(back.eventChannels(), 1));
            assertEquals(0, back.eventChannels().poll(2));
        } finally {
            open.forEach(EventChannel::close);
        }
    }

    @Test
    void pollRejectsANonPositiveBudget() {
        assertThrows(IllegalArgumentException.class, () -> bed().guest().eventChannels().poll(0));
    }

    @Test
    void bindingAPortUnboundForAnotherDomainFailsWithEinval() {
        // event_channel.h: only the domain named at allocation may bind an unbound port.
        final XenHost front = bed().guest();
        final XenHost intruder = bed().other();
        try (EventChannel f = front.eventChannels().allocateUnbound(bed().privileged().domid(), new CountingHandler())) {
            final XenHalException e = assertErrno(Errno.EINVAL,
                () -> intruder.eventChannels().bindInterdomain(front.domid(), f.localPort(), new CountingHandler()));
            assertMentions(e, "dom" + front.domid(), "port " + f.localPort());
        }
    }

    @Test
    void bindingAConnectedPortFailsWithEinval() {
        final Pair p = connect();
        assertErrno(Errno.EINVAL, () -> bed().privileged().eventChannels()
            .bindInterdomain(bed().guest().domid(), p.front().localPort(), new CountingHandler()));
    }

    @Test
    void bindingAClosedPortFailsWithEinval() {
        final XenHost front = bed().guest();
        final EventChannel f = front.eventChannels().allocateUnbound(bed().privileged().domid(), new CountingHandler());
        final int port = f.localPort();
        f.close();
        assertErrno(Errno.EINVAL, () -> bed().privileged().eventChannels()
            .bindInterdomain(front.domid(), port, new CountingHandler()));
    }

    @Test
    void allocatingForADomainThatDoesNotExistSucceedsAndOnlyThatDomainCouldBindIt() {
        // EVTCHNOP_alloc_unbound records remote_dom without looking it up (seen on Xen 4.17), so a
        // toolstack can prepare a port before the domain exists; nobody else may bind it.
        try (EventChannel f = bed().guest().eventChannels()
            .allocateUnbound(Xen.DOMID_FIRST_RESERVED - 1, new CountingHandler())) {
            final XenHalException e = assertErrno(Errno.EINVAL, () -> bed().privileged().eventChannels()
                .bindInterdomain(bed().guest().domid(), f.localPort(), new CountingHandler()));
            assertMentions(e, "port " + f.localPort());
        }
    }

    @Test
    void notifyOnAnUnboundPortIsSilentlyDropped() {
        try (EventChannel f = bed().guest().eventChannels().allocateUnbound(bed().privileged().domid(), new CountingHandler())) {
            f.notifyPeer();
        }
        assertFalse(bed().privileged().eventChannels().awaitEvent(SHORT_WAIT));
    }

    @Test
    void closingOneEndReturnsThePeerPortToUnboundAndItCanBeBoundAgain() {
        // event_channel.h: closing an interdomain channel leaves the remote end unbound for the
        // closer, which is how a backend reconnects.
        final Pair p = connect();
        final XenHost back = bed().privileged();
        p.back().close();
        p.front().notifyPeer();
        assertFalse(back.eventChannels().awaitEvent(SHORT_WAIT), "a send to a closed peer is dropped");
        final CountingHandler again = new CountingHandler();
        try (EventChannel b2 = back.eventChannels().bindInterdomain(bed().guest().domid(), p.front().localPort(), again)) {
            settle(back.eventChannels(), b2);
            again.reset();
            p.front().notifyPeer();
            pollFor(back.eventChannels(), 1);
            assertEquals(1, again.calls());
        } finally {
            p.front().close();
        }
    }

    @Test
    void loopbackChannelWithinOneDomainWorks() {
        final XenHost host = bed().guest();
        final CountingHandler a = new CountingHandler();
        final CountingHandler b = new CountingHandler();
        try (EventChannel ua = host.eventChannels().allocateUnbound(host.domid(), a);
             EventChannel ub = host.eventChannels().bindInterdomain(host.domid(), ua.localPort(), b)) {
            settle(host.eventChannels(), ub);
            b.reset();
            ua.notifyPeer();
            pollFor(host.eventChannels(), 1);
            assertEquals(1, b.calls());
            assertEquals(0, a.calls());
        }
    }

    @Test
    void bindVirqGivesAVirqPort() {
        final int virq = bed().unusedVirq();
        try (EventChannel ch = bed().guest().eventChannels().bindVirq(virq, new CountingHandler())) {
            assertEquals(EventChannel.Kind.VIRQ, ch.kind());
            assertEquals(virq, ch.virq());
            assertTrue(ch.localPort() > 0);
        }
    }

    @Test
    void bindingAVirqTwiceFailsWithEexist() {
        final int virq = bed().unusedVirq();
        try (EventChannel ch = bed().guest().eventChannels().bindVirq(virq, new CountingHandler())) {
            final XenHalException e = assertErrno(Errno.EEXIST,
                () -> bed().guest().eventChannels().bindVirq(virq, new CountingHandler()));
            assertMentions(e, "VIRQ " + virq);
            assertTrue(ch.localPort() > 0);
        }
    }

    @Test
    void bindingAnUnknownVirqFailsWithEinval() {
        assertErrno(Errno.EINVAL, () -> bed().guest().eventChannels().bindVirq(Xen.NR_VIRQS, new CountingHandler()));
        assertErrno(Errno.EINVAL, () -> bed().guest().eventChannels().bindVirq(-1, new CountingHandler()));
    }

    @Test
    void notifyOnAVirqPortFailsWithEinval() {
        try (EventChannel ch = bed().guest().eventChannels().bindVirq(bed().unusedVirq(), new CountingHandler())) {
            assertErrno(Errno.EINVAL, ch::notifyPeer);
        }
    }

    @Test
    void raisedVirqIsDeliveredToItsHandler() {
        assumeTrue(bed().canRaiseVirq(), "the bed cannot raise VIRQs");
        final CountingHandler h = new CountingHandler();
        final XenHost guest = bed().guest();
        try (EventChannel ch = guest.eventChannels().bindVirq(bed().unusedVirq(), h)) {
            bed().raiseVirq(guest, ch.virq());
            pollFor(guest.eventChannels(), 1);
            assertEquals(1, h.calls());
        }
    }

    @Test
    void useAfterCloseThrowsHandleClosedNamingThePort() {
        final EventChannel ch = bed().guest().eventChannels().allocateUnbound(bed().privileged().domid(), new CountingHandler());
        final int port = ch.localPort();
        ch.close();
        assertTrue(ch.isClosed());
        final HandleClosedException e = assertThrows(HandleClosedException.class, ch::notifyPeer);
        assertMentions(e, "port " + port, "(closed)");
        assertThrows(HandleClosedException.class, ch::unmask);
    }

    @Test
    void doubleCloseThrowsHandleClosed() {
        final EventChannel ch = bed().guest().eventChannels().allocateUnbound(bed().privileged().domid(), new CountingHandler());
        ch.close();
        final HandleClosedException e = assertThrows(HandleClosedException.class, ch::close);
        assertMentions(e, "event channel", "port " + ch.localPort());
        assertEquals(Errno.EBADF, e.errno());
    }

    @Test
    void aHandlerExceptionPropagatesAndItsPortStaysMasked() {
        final XenHost front = bed().guest();
        final XenHost back = bed().privileged();
        final AtomicInteger calls = new AtomicInteger();
        try (EventChannel f = front.eventChannels().allocateUnbound(back.domid(), new CountingHandler());
             EventChannel b = back.eventChannels().bindInterdomain(front.domid(), f.localPort(), ch -> {
                 calls.incrementAndGet();
                 throw new IllegalStateException("handler failed");
             })) {
            back.eventChannels().awaitEvent(SHORT_WAIT);
            assertThrows(IllegalStateException.class, () -> back.eventChannels().poll(8));
            f.notifyPeer();
            assertEquals(0, back.eventChannels().poll(8), "masked after the failed delivery");
            assertEquals(1, calls.get());
            b.unmask();
            assertThrows(IllegalStateException.class, () -> pollFor(back.eventChannels(), 1));
            assertEquals(2, calls.get());
        }
    }

    @Test
    void awaitEventTimesOutWhenNothingIsPending() {
        final long start = System.nanoTime();
        assertFalse(bed().guest().eventChannels().awaitEvent(SHORT_WAIT));
        assertTrue(System.nanoTime() - start >= SHORT_WAIT / 2, "returned too early");
        assertFalse(bed().guest().eventChannels().awaitEvent(0));
    }

    @Test
    void awaitEventWakesWhenAnotherThreadNotifies() throws InterruptedException {
        final Pair p = connect();
        final Thread sender = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.front().notifyPeer();
        });
        sender.start();
        assertTrue(bed().privileged().eventChannels().awaitEvent(TimeUnit.SECONDS.toNanos(5)));
        sender.join();
        assertEquals(1, bed().privileged().eventChannels().poll(8));
    }

    @Test
    void awaitEventReturnsEarlyOnInterrupt() {
        Thread.currentThread().interrupt();
        try {
            final long start = System.nanoTime();
            assertFalse(bed().guest().eventChannels().awaitEvent(TimeUnit.SECONDS.toNanos(5)));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void eventLoopDeliversOnItsOwnThread() throws InterruptedException {
        final XenHost front = bed().guest();
        final XenHost back = bed().privileged();
        final CountDownLatch delivered = new CountDownLatch(3);
        final Thread[] loopThread = new Thread[1];
        final List<Throwable> errors = new ArrayList<>();
        try (EventChannel f = front.eventChannels().allocateUnbound(back.domid(), new CountingHandler());
             EventLoop loop = EventLoop.start(back.eventChannels(), "contract-loop", errors::add);
             EventChannel b = back.eventChannels().bindInterdomain(front.domid(), f.localPort(), ch -> {
                 loopThread[0] = Thread.currentThread();
                 // Unmask before counting: once the count reaches zero the test closes the
                 // channel, and an unmask after that fails on the closed handle (seen in dom0
                 // with one vCPU, where the loop thread was preempted between the two).
                 ch.unmask();
                 delivered.countDown();
             })) {
            // One initial event, then two sends spaced so that neither coalesces with another.
            awaitCount(delivered, 2);
            f.notifyPeer();
            awaitCount(delivered, 1);
            f.notifyPeer();
            assertTrue(delivered.await(5, TimeUnit.SECONDS));
            assertNotEquals(Thread.currentThread(), loopThread[0]);
            assertEquals("contract-loop", loopThread[0].getName());
            assertTrue(b.localPort() > 0);
            assertFalse(loop.isClosed());
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }

    private static void awaitCount(final CountDownLatch latch, final long count) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (latch.getCount() > count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(count, latch.getCount());
    }

    @Test
    void eventLoopSurvivesAThrowingHandler() throws InterruptedException {
        final XenHost front = bed().guest();
        final XenHost back = bed().privileged();
        final List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch second = new CountDownLatch(2);
        try (EventChannel f = front.eventChannels().allocateUnbound(back.domid(), new CountingHandler());
             EventLoop loop = EventLoop.start(back.eventChannels(), "contract-loop", errors::add);
             EventChannel b = back.eventChannels().bindInterdomain(front.domid(), f.localPort(), ch -> {
                 second.countDown();
                 ch.unmask();
                 throw new IllegalStateException("boom");
             })) {
            awaitCount(second, 1);
            f.notifyPeer();
            assertTrue(second.await(5, TimeUnit.SECONDS), "the loop kept running after the first exception");
            assertSame(b, b);
            loop.close();
            assertTrue(loop.isClosed());
        }
        assertEquals(2, errors.size(), errors::toString);
    }

    @Test
    void bindCloseCyclesLeaveNothingHeld() {
        final Map<String, Long> before = bed().resources();
        final XenHost front = bed().guest();
        final XenHost back = bed().privileged();
        for (int i = 0; i < 1_000; i++) {
            final EventChannel f = front.eventChannels().allocateUnbound(back.domid(), new CountingHandler());
            final EventChannel b = back.eventChannels().bindInterdomain(front.domid(), f.localPort(), new CountingHandler());
            f.notifyPeer();
            b.notifyPeer();
            drain(back.eventChannels());
            drain(front.eventChannels());
            if ((i & 1) == 0) {
                b.close();
                f.close();
            } else {
                f.close();
                b.close();
            }
        }
        assertEquals(before, bed().resources());
    }
}
