package io.xen4j.abi.linux;

import static io.xen4j.abi.linux.LinuxIoctl.IOC_NONE;
import static io.xen4j.abi.linux.LinuxIoctl.ioc;

/**
 * Constants of {@code xen/sys/gntdev.h}, the ABI of {@code /dev/xen/gntdev} (map other domains'
 * grants, copy through grants, dma-bufs): ioctl requests, unmap-notify actions and dma-buf flags.
 * The {@code GNTCOPY_*} flags of a grant-copy segment are those of {@code xen/grant_table.h}.
 */
public final class Gntdev {
    /** Reserves grants for mmap; argument {@link IoctlGntdevMapGrantRef}, sized for one ref. */
    public static final long IOCTL_GNTDEV_MAP_GRANT_REF = ioc(IOC_NONE, 'G', 0, IoctlGntdevMapGrantRef.LENGTH);
    /** Releases reserved grants; argument {@link IoctlGntdevUnmapGrantRef}. */
    public static final long IOCTL_GNTDEV_UNMAP_GRANT_REF = ioc(IOC_NONE, 'G', 1, IoctlGntdevUnmapGrantRef.LENGTH);
    /** Finds the mapping at a virtual address; argument {@link IoctlGntdevGetOffsetForVaddr}. */
    public static final long IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR =
        ioc(IOC_NONE, 'G', 2, IoctlGntdevGetOffsetForVaddr.LENGTH);
    /** Sets the most grants mapped at once; argument {@link IoctlGntdevSetMaxGrants}. */
    public static final long IOCTL_GNTDEV_SET_MAX_GRANTS = ioc(IOC_NONE, 'G', 3, IoctlGntdevSetMaxGrants.LENGTH);
    /** Sets what happens when a page is unmapped; argument {@link IoctlGntdevUnmapNotify}. */
    public static final long IOCTL_GNTDEV_SET_UNMAP_NOTIFY = ioc(IOC_NONE, 'G', 7, IoctlGntdevUnmapNotify.LENGTH);
    /** Copies through grants; argument {@link IoctlGntdevGrantCopy}. */
    public static final long IOCTL_GNTDEV_GRANT_COPY = ioc(IOC_NONE, 'G', 8, IoctlGntdevGrantCopy.LENGTH);
    /** Exports grants as a dma-buf; argument {@link IoctlGntdevDmabufExpFromRefs}, sized for one ref. */
    public static final long IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS =
        ioc(IOC_NONE, 'G', 9, IoctlGntdevDmabufExpFromRefs.LENGTH);
    /** Waits for an exported dma-buf to be released; argument {@link IoctlGntdevDmabufExpWaitReleased}. */
    public static final long IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED =
        ioc(IOC_NONE, 'G', 10, IoctlGntdevDmabufExpWaitReleased.LENGTH);
    /** Imports a dma-buf as grants; argument {@link IoctlGntdevDmabufImpToRefs}, sized for one ref. */
    public static final long IOCTL_GNTDEV_DMABUF_IMP_TO_REFS =
        ioc(IOC_NONE, 'G', 11, IoctlGntdevDmabufImpToRefs.LENGTH);
    /** Releases an imported dma-buf; argument {@link IoctlGntdevDmabufImpRelease}. */
    public static final long IOCTL_GNTDEV_DMABUF_IMP_RELEASE =
        ioc(IOC_NONE, 'G', 12, IoctlGntdevDmabufImpRelease.LENGTH);

    /** Unmap-notify action: clear the byte at the notify offset (tells the peer we are gone). */
    public static final int UNMAP_NOTIFY_CLEAR_BYTE = 0x1;
    /** Unmap-notify action: send an event on the notify port. */
    public static final int UNMAP_NOTIFY_SEND_EVENT = 0x2;

    /** Dma-buf export flag: write-combined memory. */
    public static final int GNTDEV_DMA_FLAG_WC = 1 << 0;
    /** Dma-buf export flag: coherent memory. */
    public static final int GNTDEV_DMA_FLAG_COHERENT = 1 << 1;

    private Gntdev() {
    }
}
