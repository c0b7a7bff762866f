package io.xen4j.abi.linux;

import static io.xen4j.abi.linux.LinuxIoctl.IOC_NONE;
import static io.xen4j.abi.linux.LinuxIoctl.ioc;

/**
 * Ioctl requests of {@code xen/sys/xenbus_dev.h}, the ABI of {@code /dev/xen/xenbus_backend}, which
 * a user-space xenstored in dom0 uses to find and set up the store's event channel.
 */
public final class XenbusDev {
    /** Returns the local port of the xenstore event channel; no argument. */
    public static final long IOCTL_XENBUS_BACKEND_EVTCHN = ioc(IOC_NONE, 'B', 0, 0);
    /**
     * Allocates the store event channel for a xenstore stub domain; the argument is that
     * domain's domid passed by value, not a pointer.
     */
    public static final long IOCTL_XENBUS_BACKEND_SETUP = ioc(IOC_NONE, 'B', 1, 0);

    private XenbusDev() {
    }
}
