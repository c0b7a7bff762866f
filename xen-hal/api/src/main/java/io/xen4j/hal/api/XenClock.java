package io.xen4j.hal.api;

/**
 * Xen system time: nanoseconds since the host booted, monotonic and the same for every domain
 * ({@code vcpu_time_info} scaled as Linux's {@code xen_clocksource_read} does). Timers take
 * deadlines on this clock.
 */
@FunctionalInterface
public interface XenClock {
    /**
     * The current Xen system time.
     *
     * @return nanoseconds, never decreasing
     */
    long nanoTime();
}
