package io.xen4j.abi.memory;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code XENMEM_increase_reservation}, {@code XENMEM_decrease_reservation} and
 * {@code XENMEM_populate_physmap}, in the x86_64 layout (the guest handle is an 8-byte pointer):
 * the balloon's request. It is passed to the local hypervisor only, so there is no x86_32 class.
 *
 * <pre>{@code
 * struct xen_memory_reservation {
 *     XEN_GUEST_HANDLE(xen_pfn_t) extent_start; // frame numbers in or out, one per extent
 *     xen_ulong_t    nr_extents;                 // number of extents
 *     unsigned int   extent_order;               // each extent is 2^extent_order pages
 *     unsigned int   mem_flags;                  // XENMEMF flags (interface 0x00030209+)
 *     domid_t        domid;                      // unprivileged domains: DOMID_SELF only
 * };
 * }</pre>
 */
public final class XenMemoryReservation extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_memory_reservation";
    /** Offset of {@code extent_start}, a guest handle: {@code struct { xen_pfn_t *p; }}. */
    public static final int EXTENT_START_OFFSET = 0;
    /** Offset of {@code nr_extents}. */
    public static final int NR_EXTENTS_OFFSET = EXTENT_START_OFFSET + Long.BYTES;
    /** Offset of {@code extent_order}. */
    public static final int EXTENT_ORDER_OFFSET = NR_EXTENTS_OFFSET + Long.BYTES;
    /** Offset of {@code mem_flags}. */
    public static final int MEM_FLAGS_OFFSET = EXTENT_ORDER_OFFSET + Integer.BYTES;
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = MEM_FLAGS_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_memory_reservation)} in the x86_64 ABI: 6 bytes of tail padding. */
    public static final int LENGTH = 32;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public XenMemoryReservation wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code extent_start.p}: the address, in the caller's memory, of the array of {@code nr_extents}
     * frame numbers.
     *
     * @return the address (unsigned 64 bit, as a long)
     */
    public long extentStart() {
        return buffer.getLong(offset + EXTENT_START_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code extent_start.p}.
     *
     * @param value the value
     * @return this
     */
    public XenMemoryReservation extentStart(final long value) {
        buffer.putLong(offset + EXTENT_START_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code nr_extents}: the number of extents.
     *
     * @return the value (unsigned 64 bit, as a long)
     */
    public long nrExtents() {
        return buffer.getLong(offset + NR_EXTENTS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code nr_extents}.
     *
     * @param value the value
     * @return this
     */
    public XenMemoryReservation nrExtents(final long value) {
        buffer.putLong(offset + NR_EXTENTS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code extent_order}: log2 of the pages per extent.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int extentOrder() {
        return buffer.getInt(offset + EXTENT_ORDER_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code extent_order}.
     *
     * @param value the value
     * @return this
     */
    public XenMemoryReservation extentOrder(final int value) {
        buffer.putInt(offset + EXTENT_ORDER_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code mem_flags}: {@code XENMEMF_*} flags, see {@link XenMem}.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int memFlags() {
        return buffer.getInt(offset + MEM_FLAGS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code mem_flags}.
     *
     * @param value the value
     * @return this
     */
    public XenMemoryReservation memFlags(final int value) {
        buffer.putInt(offset + MEM_FLAGS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domid}: the domain whose reservation changes.
     *
     * @return the value, 0..65535
     */
    public int domid() {
        return buffer.getShort(offset + DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code domid}.
     *
     * @param value the value
     * @return this
     */
    public XenMemoryReservation domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
