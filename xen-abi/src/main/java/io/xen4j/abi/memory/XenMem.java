package io.xen4j.abi.memory;

/**
 * Constants of {@code xen/memory.h}: the operations of {@code HYPERVISOR_memory_op}, the
 * {@code XENMEMF_*} flags of {@code xen_memory_reservation.mem_flags} with the helpers for its
 * function-like macros, the physmap spaces and the resource types of
 * {@code XENMEM_acquire_resource}. C's lower-case {@code XENMEM_populate_physmap} is
 * {@code XENMEM_POPULATE_PHYSMAP} here; a macro {@code XENMEMF_node(x)} is the method
 * {@link #xenmemfNode(int)}.
 */
public final class XenMem {
    // Operations of HYPERVISOR_memory_op; C spells them XENMEM_name.
    /** Gives the domain more memory ({@code xen_memory_reservation}); returns the extents allocated. */
    public static final int XENMEM_INCREASE_RESERVATION = 0;
    /** Gives memory back to the hypervisor ({@code xen_memory_reservation}); returns the extents freed. */
    public static final int XENMEM_DECREASE_RESERVATION = 1;
    /** Returns the highest machine frame number of the host. */
    public static final int XENMEM_MAXIMUM_RAM_PAGE = 2;
    /** Returns a domain's current reservation in pages ({@code domid_t} argument). */
    public static final int XENMEM_CURRENT_RESERVATION = 3;
    /** Returns a domain's maximum reservation in pages ({@code domid_t} argument). */
    public static final int XENMEM_MAXIMUM_RESERVATION = 4;
    /** Returns the machine frames of the machine-to-physical table. */
    public static final int XENMEM_MACHPHYS_MFN_LIST = 5;
    /** Populates guest frames with memory ({@code xen_memory_reservation}); the balloon's inflate-back. */
    public static final int XENMEM_POPULATE_PHYSMAP = 6;
    /** Maps a shared info, grant table or foreign page at a guest frame. */
    public static final int XENMEM_ADD_TO_PHYSMAP = 7;
    /** Returns the domain's pseudo-physical memory map (E820). */
    public static final int XENMEM_MEMORY_MAP = 9;
    /** Returns the host's machine memory map (E820), for the control domain. */
    public static final int XENMEM_MACHINE_MEMORY_MAP = 10;
    /** Exchanges pages for pages of other size or placement, atomically. */
    public static final int XENMEM_EXCHANGE = 11;
    /** Returns the virtual range of the machine-to-physical table. */
    public static final int XENMEM_MACHPHYS_MAPPING = 12;
    /** Sets a domain's pseudo-physical memory map (toolstack). */
    public static final int XENMEM_SET_MEMORY_MAP = 13;
    /** Returns the highest guest frame number of a domain. */
    public static final int XENMEM_MAXIMUM_GPFN = 14;
    /** Unmaps a page added with {@link #XENMEM_ADD_TO_PHYSMAP}. */
    public static final int XENMEM_REMOVE_FROM_PHYSMAP = 15;
    /** Sets a domain's populate-on-demand target (toolstack). */
    public static final int XENMEM_SET_POD_TARGET = 16;
    /** Returns a domain's populate-on-demand target and usage (toolstack). */
    public static final int XENMEM_GET_POD_TARGET = 17;
    /** Returns the pages freed by memory sharing. */
    public static final int XENMEM_GET_SHARING_FREED_PAGES = 18;
    /** Returns the pages in use by memory sharing. */
    public static final int XENMEM_GET_SHARING_SHARED_PAGES = 19;
    /** Memory paging operations. */
    public static final int XENMEM_PAGING_OP = 20;
    /** Memory access (permission) operations. */
    public static final int XENMEM_ACCESS_OP = 21;
    /** Memory sharing operations. */
    public static final int XENMEM_SHARING_OP = 22;
    /** Maps a batch of pages into the physmap. */
    public static final int XENMEM_ADD_TO_PHYSMAP_BATCH = 23;
    /** Claims pages for a domain being built (toolstack). */
    public static final int XENMEM_CLAIM_PAGES = 24;
    /** Returns the machine frames of the compat machine-to-physical table. */
    public static final int XENMEM_MACHPHYS_COMPAT_MFN_LIST = 25;
    /** Returns the virtual NUMA topology of a domain. */
    public static final int XENMEM_GET_VNUMAINFO = 26;
    /** Returns the reserved device memory regions. */
    public static final int XENMEM_RESERVED_DEVICE_MEMORY_MAP = 27;
    /** Maps a resource of a domain (grant table frames, ioreq server pages, trace buffers). */
    public static final int XENMEM_ACQUIRE_RESOURCE = 28;

    // Flags of xen_memory_reservation.mem_flags; C spells them XENMEMF_name.
    /** Populate the physmap with populate-on-demand entries. */
    public static final int XENMEMF_POPULATE_ON_DEMAND = 1 << 16;
    /** Allocate only from the node of {@link #xenmemfNode(int)}. */
    public static final int XENMEMF_EXACT_NODE_REQUEST = 1 << 17;
    /** The node of {@link #xenmemfNode(int)} is a virtual node. */
    public static final int XENMEMF_VNODE = 1 << 18;

    // Spaces of xen_add_to_physmap.space; C spells them XENMAPSPACE_name.
    /** The shared info page. */
    public static final int XENMAPSPACE_SHARED_INFO = 0;
    /** A grant table frame ({@link #XENMAPIDX_GRANT_TABLE_STATUS} selects a status frame). */
    public static final int XENMAPSPACE_GRANT_TABLE = 1;
    /** A guest frame. */
    public static final int XENMAPSPACE_GMFN = 2;
    /** A range of guest frames ({@link #XENMEM_ADD_TO_PHYSMAP} only). */
    public static final int XENMAPSPACE_GMFN_RANGE = 3;
    /** A guest frame of another domain. */
    public static final int XENMAPSPACE_GMFN_FOREIGN = 4;
    /** A device MMIO region. */
    public static final int XENMAPSPACE_DEV_MMIO = 5;
    /** Index bit of {@link #XENMAPSPACE_GRANT_TABLE}: map a status frame, not a shared frame. */
    public static final int XENMAPIDX_GRANT_TABLE_STATUS = 0x8000_0000;

    // Resources of XENMEM_acquire_resource; C spells them XENMEM_resource_name.
    /** Resource type: the pages of an ioreq server. */
    public static final int XENMEM_RESOURCE_IOREQ_SERVER = 0;
    /** Resource type: grant table frames. */
    public static final int XENMEM_RESOURCE_GRANT_TABLE = 1;
    /** Resource type: a vCPU's processor trace buffer. */
    public static final int XENMEM_RESOURCE_VMTRACE_BUF = 2;
    /** Grant table resource id: the shared frames. */
    public static final int XENMEM_RESOURCE_GRANT_TABLE_ID_SHARED = 0;
    /** Grant table resource id: the status frames (grant table v2). */
    public static final int XENMEM_RESOURCE_GRANT_TABLE_ID_STATUS = 1;
    /** Ioreq server frame: the buffered ioreq page. */
    public static final int XENMEM_RESOURCE_IOREQ_SERVER_FRAME_BUFIOREQ = 0;

    /** Bits of {@code mem_flags} that hold the address width or the node, as the macros mask them. */
    private static final int BYTE_MASK = 0xFF;
    /** Where the node number sits in {@code mem_flags}. */
    private static final int NODE_SHIFT = 8;

    private XenMem() {
    }

    /**
     * {@code XENMEMF_address_bits(bits)}: the flag that limits allocated memory to machine
     * addresses below {@code 2^bits} (0: no limit); not used by a decrease.
     *
     * @param bits address width, 0..255
     * @return the flag bits
     */
    public static int xenmemfAddressBits(final int bits) {
        return bits;
    }

    /**
     * {@code XENMEMF_get_address_bits(flags)}: the address width in {@code mem_flags}.
     *
     * @param memFlags {@code mem_flags}
     * @return the address width, 0..255
     */
    public static int xenmemfGetAddressBits(final int memFlags) {
        return memFlags & BYTE_MASK;
    }

    /**
     * {@code XENMEMF_node(node)}: the flag that asks for memory of NUMA node {@code node}; the
     * value stored is {@code node + 1}, so 0 means "any node".
     *
     * @param node NUMA node, 0..254
     * @return the flag bits
     */
    public static int xenmemfNode(final int node) {
        return (node + 1) << NODE_SHIFT;
    }

    /**
     * {@code XENMEMF_get_node(flags)}: the NUMA node in {@code mem_flags}.
     *
     * @param memFlags {@code mem_flags}
     * @return the node, or 255 when the flags name none
     */
    public static int xenmemfGetNode(final int memFlags) {
        return ((memFlags >>> NODE_SHIFT) - 1) & BYTE_MASK;
    }

    /**
     * {@code XENMEMF_exact_node(node)}: memory of NUMA node {@code node} only.
     *
     * @param node NUMA node, 0..254
     * @return the flag bits
     */
    public static int xenmemfExactNode(final int node) {
        return xenmemfNode(node) | XENMEMF_EXACT_NODE_REQUEST;
    }

    /**
     * {@code XENMEM_resource_ioreq_server_frame_ioreq(n)}: the frame of the {@code n}th
     * synchronous ioreq page of an ioreq server.
     *
     * @param n page index
     * @return the frame number to ask {@link #XENMEM_ACQUIRE_RESOURCE} for
     */
    public static int xenmemResourceIoreqServerFrameIoreq(final int n) {
        return 1 + n;
    }
}
