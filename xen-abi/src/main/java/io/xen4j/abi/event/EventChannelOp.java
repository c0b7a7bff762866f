package io.xen4j.abi.event;

/**
 * Constants of {@code xen/event_channel.h}: the operations of {@code HYPERVISOR_event_channel_op},
 * the port states {@code evtchn_status} reports and the port count of the 2-level ABI. C's
 * lower-case {@code EVTCHNOP_bind_virq} is {@code EVTCHNOP_BIND_VIRQ} here.
 */
public final class EventChannelOp {
    // Operations of HYPERVISOR_event_channel_op; C spells them EVTCHNOP_name.
    /** Connects a local port to a remote domain's unbound port ({@code evtchn_bind_interdomain}). */
    public static final int EVTCHNOP_BIND_INTERDOMAIN = 0;
    /** Binds a virtual interrupt to a new port ({@code evtchn_bind_virq}). */
    public static final int EVTCHNOP_BIND_VIRQ = 1;
    /** Binds a physical interrupt to a new port. */
    public static final int EVTCHNOP_BIND_PIRQ = 2;
    /** Closes a port ({@code evtchn_close}). */
    public static final int EVTCHNOP_CLOSE = 3;
    /** Notifies the other end of a port ({@code evtchn_send}). */
    public static final int EVTCHNOP_SEND = 4;
    /** Queries a port ({@code evtchn_status}). */
    public static final int EVTCHNOP_STATUS = 5;
    /** Allocates a port a given remote domain may bind to ({@code evtchn_alloc_unbound}). */
    public static final int EVTCHNOP_ALLOC_UNBOUND = 6;
    /** Binds an inter-processor interrupt to a new port. */
    public static final int EVTCHNOP_BIND_IPI = 7;
    /** Moves a port's notifications to another vCPU. */
    public static final int EVTCHNOP_BIND_VCPU = 8;
    /** Unmasks a port and delivers an event left pending while masked ({@code evtchn_unmask}). */
    public static final int EVTCHNOP_UNMASK = 9;
    /** Closes every port of a domain. */
    public static final int EVTCHNOP_RESET = 10;
    /** Switches to the FIFO event channel ABI for a vCPU. */
    public static final int EVTCHNOP_INIT_CONTROL = 11;
    /** Adds a page of FIFO event words. */
    public static final int EVTCHNOP_EXPAND_ARRAY = 12;
    /** Sets a port's FIFO priority. */
    public static final int EVTCHNOP_SET_PRIORITY = 13;

    // Port states; C spells them EVTCHNSTAT_name.
    /** {@code evtchn_status.status}: the channel is not in use. */
    public static final int EVTCHNSTAT_CLOSED = 0;
    /** {@code evtchn_status.status}: the channel waits for an interdomain connection. */
    public static final int EVTCHNSTAT_UNBOUND = 1;
    /** {@code evtchn_status.status}: the channel is connected to a remote domain. */
    public static final int EVTCHNSTAT_INTERDOMAIN = 2;
    /** {@code evtchn_status.status}: the channel is bound to a physical interrupt. */
    public static final int EVTCHNSTAT_PIRQ = 3;
    /** {@code evtchn_status.status}: the channel is bound to a virtual interrupt. */
    public static final int EVTCHNSTAT_VIRQ = 4;
    /** {@code evtchn_status.status}: the channel is bound to a virtual IPI. */
    public static final int EVTCHNSTAT_IPI = 5;

    /** {@code evtchn_bind_pirq.flags}: the interrupt may be shared. */
    public static final int BIND_PIRQ__WILL_SHARE = 1;
    /** Ports of the 2-level ABI on x86_64: 64 words of 64 bits in {@code shared_info}. */
    public static final int EVTCHN_2L_NR_CHANNELS = 4096;
    /** Ports of the 2-level ABI on x86_32: 32 words of 32 bits in {@code shared_info}. */
    public static final int EVTCHN_2L_NR_CHANNELS_X86_32 = 1024;

    private EventChannelOp() {
    }
}
