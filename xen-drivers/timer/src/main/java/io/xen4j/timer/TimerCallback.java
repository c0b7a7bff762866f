package io.xen4j.timer;

/**
 * What a {@link XenTimers} timer runs when it expires.
 */
@FunctionalInterface
public interface TimerCallback {
    /**
     * The timer's deadline passed.
     *
     * @param task     the timer; for a periodic one its deadline is already the next one
     * @param nowNanos the Xen system time when the vCPU's timer fired, at or after the deadline
     */
    void onExpiry(XenTimerTask task, long nowNanos);
}
