package io.xen4j.hal.api;

/**
 * A one-shot timer of one vCPU ({@code VCPUOP_set_singleshot_timer}). Closing cancels it if it
 * has not fired and frees the vCPU's timer for the next one.
 */
public interface Timer extends XenHandle {
    /**
     * The vCPU the timer belongs to.
     *
     * @return the vCPU index
     */
    int vcpu();

    /**
     * When the timer fires, in Xen system time.
     *
     * @return the deadline in nanoseconds
     */
    long deadlineNanos();

    /**
     * Whether the timer is waiting to fire.
     *
     * @return false once it fired or was closed
     */
    boolean isPending();
}
