package io.xen4j.hal.api;

/**
 * One-shot per-vCPU timers on the {@link XenClock}: each vCPU has one timer, as Xen's
 * {@code VCPUOP_set_singleshot_timer} gives it. When it fires the handler runs and Xen raises
 * {@code VIRQ_TIMER} on the domain.
 */
public interface Timers {
    /**
     * How many vCPUs the domain has.
     *
     * @return at least 1
     */
    int vcpuCount();

    /**
     * Arms the timer of a vCPU. A deadline not in the future fires as soon as possible.
     *
     * @param vcpu          the vCPU, in {@code [0, vcpuCount())}
     * @param deadlineNanos when to fire, in Xen system time
     * @param handler       what to call when it fires
     * @return the timer; close it to cancel
     * @throws XenHalException naming the vCPU: {@link Errno#EINVAL} for no such vCPU,
     *                         {@link Errno#EBUSY} while the vCPU's previous timer is pending
     */
    Timer schedule(int vcpu, long deadlineNanos, TimerHandler handler);
}
