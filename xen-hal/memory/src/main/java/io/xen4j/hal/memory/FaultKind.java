package io.xen4j.hal.memory;

/**
 * The faults the simulated host can inject, each at the point where the real system can fail
 * that way. A {@link FaultRule} says when; the host applies it and records it in the
 * {@link FaultLog}.
 */
public enum FaultKind {
    /**
     * A notification is lost: {@code notifyPeer} returns but the peer's port is not set pending.
     * Applies where an event is sent; the actor is the sender. Drivers survive it by re-checking
     * their rings on a timeout.
     */
    DROP_NOTIFICATION,
    /**
     * A notification arrives late: it is delivered when the simulated clock has advanced by the
     * rule's parameter (nanoseconds; default 1 ms). Applies where an event is sent.
     */
    DELAY_NOTIFICATION,
    /**
     * A notification arrives twice: once now and once more after the receiver unmasks. Applies
     * where an event is sent.
     */
    DUPLICATE_NOTIFICATION,
    /**
     * An event nobody sent: a port of the polling domain, chosen by the seeded random source, is
     * set pending. Applies on each poll of event channels; the actor is the polling domain.
     */
    SPURIOUS_EVENT,
    /**
     * The consumer is not scheduled: polls return 0 without dispatching, for the rule's parameter
     * in polls (default 10), while events stay pending. Applies on each poll.
     */
    STALL_CONSUMER,
    /**
     * The granter ends a grant just before the peer uses it (its {@code gnttab_end_foreign_access}
     * wins the race): the entry is invalidated if nothing maps it, and the map or copy fails as
     * Xen would. Applies per grant reference of a map or copy; the actor is the mapping domain.
     */
    REVOKE_GRANT,
    /**
     * A map fails for want of resources: a grant map with {@code GNTST_no_space} (Xen out of map
     * handles), a foreign frame with {@code ENOMEM}. Applies per map request; the actor is the
     * mapping domain.
     */
    FAIL_MAP,
    /**
     * The peer domain is destroyed in the middle of a request: a map of several grants after some
     * were mapped, a copy batch after some segments, a notification before it is delivered, a
     * foreign map before it is done. The request then fails as it would against a dying domain.
     * Never destroys dom0 or the actor. Applies to maps, copies, notifications and foreign maps.
     */
    DESTROY_DOMAIN
}
