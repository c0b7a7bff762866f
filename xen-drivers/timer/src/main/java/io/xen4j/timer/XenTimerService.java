package io.xen4j.timer;

import io.xen4j.hal.api.XenHalException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ScheduledExecutorService} on the Xen clock over {@link XenTimers}: delays are measured
 * in Xen system time and tasks run when a vCPU's one-shot timer fires, on the thread that
 * delivers it (in the simulated host, the thread advancing virtual time). Tasks are spread over
 * the vCPUs round-robin, or all on one vCPU.
 *
 * <p>Shutdown follows {@link java.util.concurrent.ScheduledThreadPoolExecutor}'s defaults:
 * after {@link #shutdown()} delayed one-shot tasks still run and periodic ones are cancelled;
 * {@link #shutdownNow()} cancels everything and returns the tasks that never ran. A periodic task
 * that throws is not run again and its future holds the exception. {@link #execute(Runnable)}
 * runs the task at the next timer expiry, which on the simulated host means the next time
 * advance (even by zero).
 */
public final class XenTimerService extends AbstractExecutorService implements ScheduledExecutorService {
    private final XenTimers timers;
    private final int fixedVcpu;
    private final AtomicInteger nextVcpu = new AtomicInteger();
    private final Set<Task<?>> live = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private boolean shutdown;
    private int running;

    /**
     * A service spreading tasks over every vCPU.
     *
     * @param timers the timers; the service does not close them
     */
    public XenTimerService(final XenTimers timers) {
        this(timers, -1);
    }

    /**
     * A service on one vCPU, or spreading over all.
     *
     * @param timers the timers; the service does not close them
     * @param vcpu   the vCPU, or -1 for round-robin over every vCPU
     */
    public XenTimerService(final XenTimers timers, final int vcpu) {
        this.timers = Objects.requireNonNull(timers, "timers");
        if (vcpu < -1 || vcpu >= timers.vcpuCount()) {
            throw new IllegalArgumentException("vcpu=" + vcpu + ": need -1 or 0.." + (timers.vcpuCount() - 1));
        }
        this.fixedVcpu = vcpu;
    }

    /**
     * Runs a task at an absolute Xen system time.
     *
     * @param command       the task
     * @param deadlineNanos when
     * @return its future
     */
    public ScheduledFuture<?> scheduleAt(final Runnable command, final long deadlineNanos) {
        return submitTask(new Task<>(command, null, deadlineNanos, 0));
    }

    @Override
    public ScheduledFuture<?> schedule(final Runnable command, final long delay, final TimeUnit unit) {
        return submitTask(new Task<>(command, null, timers.deadlineAfter(unit.toNanos(delay)), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(final Callable<V> callable, final long delay, final TimeUnit unit) {
        return submitTask(new Task<>(callable, timers.deadlineAfter(unit.toNanos(delay))));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(final Runnable command, final long initialDelay, final long period,
                                                  final TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period=" + period + " " + unit + ": must be > 0");
        }
        return submitTask(new Task<>(command, null, timers.deadlineAfter(unit.toNanos(initialDelay)), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(final Runnable command, final long initialDelay, final long delay,
                                                     final TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay=" + delay + " " + unit + ": must be > 0");
        }
        return submitTask(new Task<>(command, null, timers.deadlineAfter(unit.toNanos(initialDelay)), -unit.toNanos(delay)));
    }

    @Override
    public void execute(final Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private <V> Task<V> submitTask(final Task<V> task) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("the Xen timer service is shut down");
            }
            live.add(task);
        }
        try {
            task.arm(task.deadline);
        } catch (final XenHalException e) {
            live.remove(task);
            throw new RejectedExecutionException("cannot arm a timer: " + e.getMessage(), e);
        }
        return task;
    }

    private int pickVcpu() {
        return fixedVcpu >= 0 ? fixedVcpu : Math.floorMod(nextVcpu.getAndIncrement(), timers.vcpuCount());
    }

    @Override
    public void shutdown() {
        final List<Task<?>> periodic = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            for (final Task<?> t : live) {
                if (t.period != 0) {
                    periodic.add(t);
                }
            }
        }
        for (final Task<?> t : periodic) {
            t.cancel(false);
        }
        signalIfTerminated();
    }

    @Override
    public List<Runnable> shutdownNow() {
        final List<Runnable> notRun = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
        }
        for (final Task<?> t : List.copyOf(live)) {
            if (t.cancel(false) && t.runs == 0) {
                notRun.add(t);
            }
        }
        signalIfTerminated();
        return notRun;
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && live.isEmpty() && running == 0;
        }
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException {
        // Real time: the tasks left wait for the Xen clock, which someone else moves.
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && live.isEmpty() && running == 0)) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /**
     * Tasks scheduled and not yet finished or cancelled.
     *
     * @return the count
     */
    public int pendingTasks() {
        return live.size();
    }

    private void signalIfTerminated() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** A task with its timer: {@code period} > 0 fixed rate, < 0 fixed delay, 0 one-shot. */
    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        final long period;
        volatile long deadline;
        volatile @Nullable XenTimerTask timer;
        volatile long runs;

        Task(final Runnable r, final @Nullable V result, final long deadline, final long period) {
            super(r, result);
            this.deadline = deadline;
            this.period = period;
        }

        Task(final Callable<V> c, final long deadline) {
            super(c);
            this.deadline = deadline;
            this.period = 0;
        }

        void arm(final long at) {
            deadline = at;
            // The fixed-rate period is kept by XenTimers itself (deadline + n * period); a fixed
            // delay is a fresh one-shot after each run.
            timer = period > 0
                ? timers.periodic(pickVcpu(), at, period, (t, now) -> fire())
                : timers.at(pickVcpu(), at, (t, now) -> fire());
        }

        private void fire() {
            synchronized (lock) {
                running++;
            }
            try {
                runs++;
                if (period == 0) {
                    run();
                } else if (!runAndReset()) {
                    // Cancelled, or the task threw (the future now holds the exception).
                    stopTimer();
                } else if (period > 0) {
                    final XenTimerTask t = timer;
                    if (t != null) {
                        deadline = t.deadlineNanos();
                    }
                } else if (!isShutdown()) {
                    try {
                        arm(timers.deadlineAfter(-period));
                    } catch (final XenHalException e) {
                        setException(e);
                    }
                } else {
                    cancel(false);
                }
            } finally {
                synchronized (lock) {
                    running--;
                }
                if (isDone()) {
                    live.remove(this);
                }
                signalIfTerminated();
            }
        }

        private void stopTimer() {
            final XenTimerTask t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning) {
            final boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                stopTimer();
                live.remove(this);
            }
            return cancelled;
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public long getDelay(final TimeUnit unit) {
            return unit.convert(deadline - timers.clock().nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(final Delayed other) {
            if (other == this) {
                return 0;
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
