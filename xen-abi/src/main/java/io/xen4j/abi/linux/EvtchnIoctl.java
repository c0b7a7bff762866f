package io.xen4j.abi.linux;

import static io.xen4j.abi.linux.LinuxIoctl.IOC_NONE;
import static io.xen4j.abi.linux.LinuxIoctl.ioc;

/**
 * Ioctl requests of {@code xen/sys/evtchn.h}, the ABI of {@code /dev/xen/evtchn}. The bind
 * requests return the local port; a pending port is read from the device as a 32-bit value and
 * unmasked by writing it back.
 */
public final class EvtchnIoctl {
    /** Binds a virtual IRQ; argument {@link IoctlEvtchnBindVirq}. */
    public static final long IOCTL_EVTCHN_BIND_VIRQ = ioc(IOC_NONE, 'E', 0, IoctlEvtchnBindVirq.LENGTH);
    /** Binds to another domain's unbound port; argument {@link IoctlEvtchnBindInterdomain}. */
    public static final long IOCTL_EVTCHN_BIND_INTERDOMAIN =
        ioc(IOC_NONE, 'E', 1, IoctlEvtchnBindInterdomain.LENGTH);
    /** Allocates a port another domain may bind to; argument {@link IoctlEvtchnBindUnboundPort}. */
    public static final long IOCTL_EVTCHN_BIND_UNBOUND_PORT =
        ioc(IOC_NONE, 'E', 2, IoctlEvtchnBindUnboundPort.LENGTH);
    /** Closes a port; argument {@link IoctlEvtchnUnbind}. */
    public static final long IOCTL_EVTCHN_UNBIND = ioc(IOC_NONE, 'E', 3, IoctlEvtchnUnbind.LENGTH);
    /** Sends an event; argument {@link IoctlEvtchnNotify}. */
    public static final long IOCTL_EVTCHN_NOTIFY = ioc(IOC_NONE, 'E', 4, IoctlEvtchnNotify.LENGTH);
    /** Empties the buffer of pending ports and clears its overflow error; no argument. */
    public static final long IOCTL_EVTCHN_RESET = ioc(IOC_NONE, 'E', 5, 0);
    /** Restricts interdomain bindings to one domain; argument {@link IoctlEvtchnRestrictDomid}. */
    public static final long IOCTL_EVTCHN_RESTRICT_DOMID = ioc(IOC_NONE, 'E', 6, IoctlEvtchnRestrictDomid.LENGTH);

    private EvtchnIoctl() {
    }
}
