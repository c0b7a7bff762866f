package io.xen4j.hal.api;

/**
 * One bound event-channel port of this domain: an unbound port waiting for a peer, an
 * interdomain channel, or a VIRQ. Closing it unbinds the port ({@code IOCTL_EVTCHN_UNBIND}); the
 * peer's end of an interdomain channel then goes back to unbound, as Xen does.
 */
public interface EventChannel extends XenHandle {
    /** What the port is bound to. */
    enum Kind {
        /** Allocated for a remote domain that has not bound it yet ({@code EVTCHNOP_alloc_unbound}). */
        UNBOUND,
        /** Bound to a remote domain's port ({@code EVTCHNOP_bind_interdomain}). */
        INTERDOMAIN,
        /** Bound to a virtual IRQ ({@code EVTCHNOP_bind_virq}). */
        VIRQ
    }

    /**
     * The local port number, to hand to the peer (through xenstore) or to name in messages.
     *
     * @return the port
     */
    int localPort();

    /**
     * How the port was bound. A port allocated unbound stays {@link Kind#UNBOUND} here even after
     * the peer binds it: this domain learns of the peer only through its events.
     *
     * @return the kind
     */
    Kind kind();

    /**
     * The remote domain the port was allocated for or bound to.
     *
     * @return the domain id; for a VIRQ, this domain's own id
     */
    int remoteDomid();

    /**
     * For a VIRQ binding, the VIRQ number ({@code VIRQ_*} of {@code xen/xen.h}).
     *
     * @return the VIRQ, or -1 for other kinds
     */
    int virq();

    /**
     * Sends an event to the other end ({@code IOCTL_EVTCHN_NOTIFY}). Sending on a port whose peer
     * has not bound it yet, or has closed its end, is silently dropped, as Xen does; notifications
     * sent while the peer's port is pending are coalesced.
     *
     * @throws XenHalException       with {@link Errno#EINVAL} on a VIRQ port, which has no peer
     * @throws HandleClosedException if the channel is closed
     */
    void notifyPeer();

    /**
     * Re-enables delivery after an event was dispatched (writing the port to the Linux evtchn
     * device). An event that became pending while the port was masked is delivered again now.
     *
     * @throws HandleClosedException if the channel is closed
     */
    void unmask();
}
