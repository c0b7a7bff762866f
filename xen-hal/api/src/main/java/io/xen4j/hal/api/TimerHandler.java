package io.xen4j.hal.api;

/**
 * Called when a {@link Timer} expires.
 */
@FunctionalInterface
public interface TimerHandler {
    /**
     * The timer's deadline passed.
     *
     * @param timer    the timer, which is no longer pending
     * @param nowNanos the Xen system time when it fired, at or after the deadline
     */
    void onTimer(Timer timer, long nowNanos);
}
