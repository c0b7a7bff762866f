package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_PRIVCMD_MMAPBATCH}: map one foreign frame per page at {@code addr}; the
 * kernel marks a frame that failed by setting its top nibble
 * ({@link Privcmd#PRIVCMD_MMAPBATCH_MFN_ERROR}, {@link Privcmd#PRIVCMD_MMAPBATCH_PAGED_ERROR}).
 *
 * <pre>{@code
 * typedef struct privcmd_mmapbatch {
 *     int num;     // number of pages to populate
 *     domid_t dom; // target domain
 *     __u64 addr;  // virtual address
 *     xen_pfn_t __user *arr; // array of mfns - top nibble set on err
 * } privcmd_mmapbatch_t;
 * }</pre>
 */
public final class PrivcmdMmapbatch extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "privcmd_mmapbatch";
    /** Offset of {@code num}. */
    public static final int NUM_OFFSET = 0;
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = NUM_OFFSET + Integer.BYTES;
    /** Offset of {@code addr}, after 2 bytes of padding: __u64 is 8-byte aligned on x86_64. */
    public static final int ADDR_OFFSET = DOM_OFFSET + Short.BYTES + 2;
    /** Offset of {@code arr}. */
    public static final int ARR_OFFSET = ADDR_OFFSET + Long.BYTES;
    /** {@code sizeof(struct privcmd_mmapbatch)} on x86_64. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PrivcmdMmapbatch wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code num}: the number of pages to populate.
     *
     * @return the value
     */
    public int num() {
        return buffer.getInt(offset + NUM_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code num}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapbatch num(final int value) {
        buffer.putInt(offset + NUM_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dom}: the target domain.
     *
     * @return the value, zero-extended
     */
    public int dom() {
        return buffer.getShort(offset + DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dom}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapbatch dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code addr}: the virtual address of the mapping.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long addr() {
        return buffer.getLong(offset + ADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code addr}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapbatch addr(final long value) {
        buffer.putLong(offset + ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arr}: the user-space address of the {@code xen_pfn_t} array of frames, top nibble set on error.
     *
     * @return the address (x86_64 user-space pointer)
     */
    public long arr() {
        return buffer.getLong(offset + ARR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arr}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapbatch arr(final long value) {
        buffer.putLong(offset + ARR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
