package io.xen4j.timer;

/**
 * One timer of {@link XenTimers}: a one-shot deadline, or a periodic series of them.
 */
public final class XenTimerTask {
    final XenTimers.Vcpu owner;
    final TimerCallback callback;
    final long periodNanos;
    final long seq;
    /** The next deadline; guarded by the owner's lock. */
    long deadline;
    /** Pending in the owner's queue; guarded by the owner's lock. */
    boolean queued;
    /** Cancelled by the user; guarded by the owner's lock. */
    boolean cancelled;
    /** Times it expired; guarded by the owner's lock. */
    long expirations;

    XenTimerTask(final XenTimers.Vcpu owner, final TimerCallback callback, final long deadline, final long periodNanos,
                 final long seq) {
        this.owner = owner;
        this.callback = callback;
        this.deadline = deadline;
        this.periodNanos = periodNanos;
        this.seq = seq;
    }

    /**
     * The vCPU whose timer carries this one.
     *
     * @return the vCPU index
     */
    public int vcpu() {
        return owner.vcpu;
    }

    /**
     * The next deadline.
     *
     * @return Xen system time in nanoseconds
     */
    public long deadlineNanos() {
        synchronized (owner) {
            return deadline;
        }
    }

    /**
     * The period of a periodic timer.
     *
     * @return nanoseconds, 0 for a one-shot timer
     */
    public long periodNanos() {
        return periodNanos;
    }

    /**
     * Whether the timer will expire (again).
     *
     * @return false once a one-shot timer expired, or once cancelled
     */
    public boolean isPending() {
        synchronized (owner) {
            return queued;
        }
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once cancelled
     */
    public boolean isCancelled() {
        synchronized (owner) {
            return cancelled;
        }
    }

    /**
     * How many times the timer expired.
     *
     * @return the count
     */
    public long expirations() {
        synchronized (owner) {
            return expirations;
        }
    }

    /**
     * Cancels the timer. A periodic timer whose callback is running now does not run again.
     *
     * @return true if it was pending
     */
    public boolean cancel() {
        return owner.cancel(this);
    }

    @Override
    public String toString() {
        synchronized (owner) {
            return (periodNanos == 0 ? "timer" : "periodic timer (" + periodNanos + " ns)") + " of vcpu " + owner.vcpu
                + " at " + deadline + " ns" + (cancelled ? ", cancelled" : queued ? "" : ", expired");
        }
    }
}
