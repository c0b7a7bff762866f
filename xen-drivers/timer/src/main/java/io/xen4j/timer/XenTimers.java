package io.xen4j.timer;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.Timer;
import io.xen4j.hal.api.Timers;
import io.xen4j.hal.api.XenClock;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Any number of one-shot and periodic timers per vCPU, with nanosecond deadlines on the Xen
 * clock, multiplexed onto each vCPU's single one-shot timer as Linux's {@code xen_vcpuop_set_next_event}
 * clockevent does: the vCPU's timer is always armed for the earliest pending deadline; when it
 * fires every due timer runs and it is armed for the next.
 *
 * <p>Callbacks run on the thread that delivers the vCPU timer's expiry: in the simulated host the
 * thread that advances virtual time, so tests are deterministic. A callback runs outside every
 * lock and may schedule and cancel timers; one that throws is logged and, if periodic, cancelled.
 *
 * <p>A periodic timer runs at fixed rate: its n-th deadline is {@code first + n * period}. When
 * expiries are late by more than a period (a stalled vCPU), the missed ones are skipped rather than
 * run in a burst, as the kernel's periodic tick does, and {@link XenTimerTask#expirations()} counts
 * runs only.
 */
public final class XenTimers implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XenTimers.class.getName());
    private static final Comparator<XenTimerTask> ORDER =
        Comparator.comparingLong((XenTimerTask t) -> t.deadline).thenComparingLong(t -> t.seq);

    private final Timers timers;
    private final XenClock clock;
    private final Vcpu[] vcpus;
    private final AtomicLong seq = new AtomicLong();
    private final int domid;
    private volatile boolean closed;

    /**
     * Creates timers over a host's {@link Timers} and {@link XenClock}.
     *
     * @param host the host; it must offer both services
     */
    public XenTimers(final XenHost host) {
        this(host.timers(), host.clock(), host.domid());
    }

    /**
     * Creates timers over the given services.
     *
     * @param timers the vCPUs' one-shot timers
     * @param clock  the Xen clock
     * @param domid  the domain, for messages
     */
    public XenTimers(final Timers timers, final XenClock clock, final int domid) {
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.domid = domid;
        this.vcpus = new Vcpu[timers.vcpuCount()];
        for (int i = 0; i < vcpus.length; i++) {
            vcpus[i] = new Vcpu(i);
        }
    }

    /**
     * The Xen clock the deadlines are on.
     *
     * @return the clock
     */
    public XenClock clock() {
        return clock;
    }

    /**
     * How many vCPUs carry timers.
     *
     * @return at least 1
     */
    public int vcpuCount() {
        return vcpus.length;
    }

    /**
     * A one-shot timer at an absolute deadline.
     *
     * @param vcpu          the vCPU whose timer carries it
     * @param deadlineNanos Xen system time; a deadline not in the future expires as soon as possible
     * @param callback      what to run
     * @return the timer
     * @throws XenHalException naming the domain and vCPU: {@link Errno#EINVAL} for no such vCPU,
     *                         {@link Errno#EBADF} once closed, or the HAL's error arming the vCPU's
     *                         timer
     */
    public XenTimerTask at(final int vcpu, final long deadlineNanos, final TimerCallback callback) {
        return vcpu(vcpu).add(deadlineNanos, 0, callback);
    }

    /**
     * A one-shot timer after a delay from now.
     *
     * @param vcpu       the vCPU
     * @param delayNanos nanoseconds from now; negative means now
     * @param callback   what to run
     * @return the timer
     */
    public XenTimerTask after(final int vcpu, final long delayNanos, final TimerCallback callback) {
        return at(vcpu, deadlineAfter(delayNanos), callback);
    }

    /**
     * A periodic timer at fixed rate.
     *
     * @param vcpu          the vCPU
     * @param firstDeadline the first expiry, in Xen system time
     * @param periodNanos   the period, at least 1
     * @param callback      what to run at each expiry
     * @return the timer; cancel it to stop
     */
    public XenTimerTask periodic(final int vcpu, final long firstDeadline, final long periodNanos,
                                 final TimerCallback callback) {
        if (periodNanos < 1) {
            throw new IllegalArgumentException("periodNanos=" + periodNanos + ": must be >= 1");
        }
        return vcpu(vcpu).add(firstDeadline, periodNanos, callback);
    }

    /**
     * The deadline a delay from now, saturating instead of overflowing.
     *
     * @param delayNanos the delay; negative means now
     * @return the deadline
     */
    public long deadlineAfter(final long delayNanos) {
        final long now = clock.nanoTime();
        final long d = Math.max(0, delayNanos);
        return d > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + d;
    }

    /**
     * Timers pending on a vCPU.
     *
     * @param vcpu the vCPU
     * @return the count
     */
    public int pending(final int vcpu) {
        final Vcpu v = vcpu(vcpu);
        synchronized (v) {
            return v.queue.size();
        }
    }

    /**
     * The deadline the vCPU's one-shot timer is armed for.
     *
     * @param vcpu the vCPU
     * @return Xen system time, or -1 when it is not armed
     */
    public long armedDeadline(final int vcpu) {
        final Vcpu v = vcpu(vcpu);
        synchronized (v) {
            final Timer t = v.armed;
            return t == null ? -1 : t.deadlineNanos();
        }
    }

    /**
     * Cancels every timer and disarms every vCPU timer. Closing twice is harmless.
     */
    @Override
    public void close() {
        closed = true;
        for (final Vcpu v : vcpus) {
            v.cancelAll();
        }
    }

    private Vcpu vcpu(final int vcpu) {
        if (vcpu < 0 || vcpu >= vcpus.length) {
            throw new XenHalException("set a timer of dom" + domid + " vcpu " + vcpu, Errno.EINVAL,
                "dom" + domid + " has vcpus 0.." + (vcpus.length - 1));
        }
        return vcpus[vcpu];
    }

    /** The timers of one vCPU; its monitor guards the queue and the armed timer. */
    final class Vcpu {
        final int vcpu;
        final PriorityQueue<XenTimerTask> queue = new PriorityQueue<>(ORDER);
        @Nullable Timer armed;

        Vcpu(final int vcpu) {
            this.vcpu = vcpu;
        }

        XenTimerTask add(final long deadline, final long period, final TimerCallback callback) {
            Objects.requireNonNull(callback, "callback");
            final XenTimerTask t = new XenTimerTask(this, callback, deadline, period, seq.getAndIncrement());
            synchronized (this) {
                if (closed) {
                    throw new XenHalException("set a timer of dom" + domid + " vcpu " + vcpu, Errno.EBADF,
                        "the timers were closed");
                }
                t.queued = true;
                queue.add(t);
                try {
                    rearm();
                } catch (final XenHalException e) {
                    queue.remove(t);
                    t.queued = false;
                    throw e;
                }
            }
            return t;
        }

        boolean cancel(final XenTimerTask t) {
            synchronized (this) {
                t.cancelled = true;
                if (!t.queued) {
                    return false;
                }
                t.queued = false;
                queue.remove(t);
                rearmQuietly();
                return true;
            }
        }

        void cancelAll() {
            synchronized (this) {
                for (final XenTimerTask t : queue) {
                    t.queued = false;
                    t.cancelled = true;
                }
                queue.clear();
                disarm();
            }
        }

        /** Arms the vCPU's timer for the head of the queue; holds the monitor. */
        private void rearm() {
            final XenTimerTask head = queue.peek();
            final Timer a = armed;
            if (head == null) {
                disarm();
                return;
            }
            if (a != null && a.isPending() && a.deadlineNanos() == head.deadline) {
                return;
            }
            disarm();
            // Xen allows one pending one-shot timer per vCPU: the old one is closed first.
            armed = timers.schedule(vcpu, head.deadline, this::fired);
        }

        private void rearmQuietly() {
            try {
                rearm();
            } catch (final XenHalException e) {
                LOG.log(System.Logger.Level.WARNING, "dom" + domid + " vcpu " + vcpu + ": cannot re-arm the timer", e);
            }
        }

        private void disarm() {
            final Timer a = armed;
            armed = null;
            if (a != null) {
                a.close();
            }
        }

        private void fired(final Timer timer, final long now) {
            final List<XenTimerTask> due = new ArrayList<>();
            synchronized (this) {
                // Identity, not equality: only the very timer armed last is cleared.
                @SuppressWarnings("ReferenceEquality")
                final boolean current = armed == timer;
                if (current) {
                    armed = null;
                    timer.close();
                }
                XenTimerTask head = queue.peek();
                while (head != null && head.deadline <= now) {
                    queue.poll();
                    due.add(head);
                    head.expirations++;
                    if (head.periodNanos > 0) {
                        // Fixed rate; deadlines missed by more than a period are skipped.
                        long next = head.deadline + head.periodNanos;
                        if (next <= now) {
                            final long missed = (now - head.deadline) / head.periodNanos;
                            next = head.deadline + (missed + 1) * head.periodNanos;
                        }
                        head.deadline = next;
                        queue.add(head);
                    } else {
                        head.queued = false;
                    }
                    head = queue.peek();
                }
                if (!closed) {
                    rearmQuietly();
                }
            }
            for (final XenTimerTask t : due) {
                synchronized (this) {
                    // An earlier callback of this batch may have cancelled it.
                    if (t.cancelled) {
                        continue;
                    }
                }
                try {
                    t.callback.onExpiry(t, now);
                } catch (final RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "dom" + domid + " vcpu " + vcpu + ": " + t + " threw; "
                        + (t.periodNanos > 0 ? "cancelled" : "dropped"), e);
                    if (t.periodNanos > 0) {
                        t.cancel();
                    }
                }
            }
        }
    }
}
