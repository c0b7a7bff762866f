package io.xen4j.hal.api;

/**
 * Mapping another domain's memory: the privileged part of the Linux {@code /dev/xen/privcmd}
 * device, used by toolstacks, device models and xenstored. Only privileged domains have it.
 */
public interface ForeignMemory {
    /**
     * Maps frames of a domain ({@code IOCTL_PRIVCMD_MMAPBATCH_V2}), contiguously in the order
     * given. A frame that cannot be mapped does not fail the call: its error is reported by
     * {@link ForeignMapping#error(int)} and its page of the buffer fails on access.
     *
     * @param domid    the domain whose memory to map
     * @param gfns     guest frame numbers, at least one
     * @param writable whether to map them writable
     * @return the mapping, possibly with per-frame errors
     * @throws XenHalException naming the domain: {@link Errno#ESRCH} when it does not exist,
     *                         {@link Errno#EPERM} when this domain may not map it
     */
    ForeignMapping mapFrames(int domid, long[] gfns, boolean writable);

    /**
     * Maps frames of a domain's resource ({@code IOCTL_PRIVCMD_MMAP_RESOURCE},
     * {@code XENMEM_acquire_resource}), e.g. its grant table to seed the console and xenstore
     * grants as the toolstack does.
     *
     * @param domid    the domain owning the resource
     * @param type     {@code XENMEM_resource_*}, e.g.
     *                 {@link io.xen4j.abi.memory.XenMem#XENMEM_RESOURCE_GRANT_TABLE}
     * @param id       the resource id within the type, e.g.
     *                 {@link io.xen4j.abi.memory.XenMem#XENMEM_RESOURCE_GRANT_TABLE_ID_SHARED}
     * @param frame    the first frame of the resource to map
     * @param count    how many frames, at least 1
     * @param writable whether to map them writable
     * @return the mapping
     * @throws XenHalException naming the domain and resource: {@link Errno#EOPNOTSUPP} for a
     *                         resource the backend does not know, {@link Errno#EINVAL} for
     *                         frames outside it
     */
    ForeignMapping mapResource(int domid, int type, int id, int frame, int count, boolean writable);
}
