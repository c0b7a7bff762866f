package io.xen4j.abi.linux;

import static io.xen4j.abi.linux.LinuxIoctl.IOC_NONE;
import static io.xen4j.abi.linux.LinuxIoctl.ioc;

/**
 * Constants of {@code xen/sys/gntalloc.h}, the ABI of {@code /dev/xen/gntalloc} (share our own
 * pages with another domain): ioctl requests, allocation flags and unmap-notify actions.
 */
public final class Gntalloc {
    /** Allocates and grants pages; argument {@link IoctlGntallocAllocGref}, sized for one gref. */
    public static final long IOCTL_GNTALLOC_ALLOC_GREF = ioc(IOC_NONE, 'G', 5, IoctlGntallocAllocGref.LENGTH);
    /** Stops sharing allocated pages; argument {@link IoctlGntallocDeallocGref}. */
    public static final long IOCTL_GNTALLOC_DEALLOC_GREF = ioc(IOC_NONE, 'G', 6, IoctlGntallocDeallocGref.LENGTH);
    /** Sets what happens when a page is unmapped; argument {@link IoctlGntallocUnmapNotify}. */
    public static final long IOCTL_GNTALLOC_SET_UNMAP_NOTIFY =
        ioc(IOC_NONE, 'G', 7, IoctlGntallocUnmapNotify.LENGTH);

    /** Allocation flag: the other domain may write the pages (read-only without it). */
    public static final int GNTALLOC_FLAG_WRITABLE = 1;

    /** Unmap-notify action: clear the byte at the notify offset (tells the peer we are gone). */
    public static final int UNMAP_NOTIFY_CLEAR_BYTE = 0x1;
    /** Unmap-notify action: send an event on the notify port. */
    public static final int UNMAP_NOTIFY_SEND_EVENT = 0x2;

    private Gntalloc() {
    }
}
