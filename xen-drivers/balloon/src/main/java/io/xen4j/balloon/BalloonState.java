package io.xen4j.balloon;

/**
 * Where the guest's balloon stands.
 */
public enum BalloonState {
    /** No valid target has been read yet. */
    WAITING,
    /** Giving pages back to the hypervisor: the reservation is above the target. */
    RELEASING,
    /** Claiming pages from the hypervisor: the reservation is below the target. */
    CLAIMING,
    /** The hypervisor refused pages; waiting before the next attempt. */
    BACKING_OFF,
    /** The reservation equals the (clamped) target. */
    REACHED,
    /**
     * The balloon gave up on this target: retries exhausted, or no frame left to release or
     * populate. A new target starts over.
     */
    STALLED,
    /** The balloon was closed. */
    CLOSED
}
