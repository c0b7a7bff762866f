package io.xen4j.abi.linux;

import static io.xen4j.abi.linux.LinuxIoctl.IOC_NONE;
import static io.xen4j.abi.linux.LinuxIoctl.ioc;

/**
 * Constants of {@code xen/sys/privcmd.h}, the ABI of {@code /dev/xen/privcmd}: ioctl requests
 * and the error marks of {@code IOCTL_PRIVCMD_MMAPBATCH}. Each request encodes the size of its
 * argument structure (x86_64 layout).
 */
public final class Privcmd {
    /** Makes a hypercall; argument {@link PrivcmdHypercall}. */
    public static final long IOCTL_PRIVCMD_HYPERCALL = ioc(IOC_NONE, 'P', 0, PrivcmdHypercall.LENGTH);
    /** Maps ranges of foreign frames; argument {@link PrivcmdMmap}. */
    public static final long IOCTL_PRIVCMD_MMAP = ioc(IOC_NONE, 'P', 2, PrivcmdMmap.LENGTH);
    /** Maps foreign frames, errors marked in the frame array; argument {@link PrivcmdMmapbatch}. */
    public static final long IOCTL_PRIVCMD_MMAPBATCH = ioc(IOC_NONE, 'P', 3, PrivcmdMmapbatch.LENGTH);
    /** Maps foreign frames, errors in a separate array; argument {@link PrivcmdMmapbatchV2}. */
    public static final long IOCTL_PRIVCMD_MMAPBATCH_V2 = ioc(IOC_NONE, 'P', 4, PrivcmdMmapbatchV2.LENGTH);
    /** Makes a device-model operation; argument {@link PrivcmdDmOp}. */
    public static final long IOCTL_PRIVCMD_DM_OP = ioc(IOC_NONE, 'P', 5, PrivcmdDmOp.LENGTH);
    /**
     * Restricts the file descriptor to one domain for good; the argument is a bare
     * {@code domid_t} (uint16), so the request encodes size 2.
     */
    public static final long IOCTL_PRIVCMD_RESTRICT = ioc(IOC_NONE, 'P', 6, Short.BYTES);
    /** Maps frames of a domain's resource; argument {@link PrivcmdMmapResource}. */
    public static final long IOCTL_PRIVCMD_MMAP_RESOURCE = ioc(IOC_NONE, 'P', 7, PrivcmdMmapResource.LENGTH);
    /** A request number no kernel implements: probes that the device answers ioctls at all. */
    public static final long IOCTL_PRIVCMD_UNIMPLEMENTED = ioc(IOC_NONE, 'P', 0xFF, 0);

    /**
     * {@code IOCTL_PRIVCMD_MMAPBATCH}: the kernel ORs this into a frame it could not map
     * (unsigned 32-bit, the raw bits of an int).
     */
    public static final int PRIVCMD_MMAPBATCH_MFN_ERROR = 0xf0000000;
    /**
     * {@code IOCTL_PRIVCMD_MMAPBATCH}: the kernel ORs this into a frame that is paged out; retry
     * it (unsigned 32-bit, the raw bits of an int).
     */
    public static final int PRIVCMD_MMAPBATCH_PAGED_ERROR = 0x80000000;

    private Privcmd() {
    }
}
