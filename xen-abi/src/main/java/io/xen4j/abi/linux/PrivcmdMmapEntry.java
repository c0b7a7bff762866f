package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One range of {@code IOCTL_PRIVCMD_MMAP}: map {@code npages} foreign frames from {@code mfn} at the
 * virtual address {@code va} of an mmap of /dev/xen/privcmd.
 *
 * <pre>{@code
 * typedef struct privcmd_mmap_entry {
 *     __u64 va;
 *     __u64 mfn;
 *     __u64 npages;
 * } privcmd_mmap_entry_t;
 * }</pre>
 */
public final class PrivcmdMmapEntry extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "privcmd_mmap_entry";
    /** Offset of {@code va}. */
    public static final int VA_OFFSET = 0;
    /** Offset of {@code mfn}. */
    public static final int MFN_OFFSET = VA_OFFSET + Long.BYTES;
    /** Offset of {@code npages}. */
    public static final int NPAGES_OFFSET = MFN_OFFSET + Long.BYTES;
    /** {@code sizeof(struct privcmd_mmap_entry)} on x86_64. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PrivcmdMmapEntry wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code va}: the virtual address the range starts at.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long va() {
        return buffer.getLong(offset + VA_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code va}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapEntry va(final long value) {
        buffer.putLong(offset + VA_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code mfn}: the first machine frame of the range.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long mfn() {
        return buffer.getLong(offset + MFN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code mfn}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapEntry mfn(final long value) {
        buffer.putLong(offset + MFN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code npages}: the number of pages of the range.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long npages() {
        return buffer.getLong(offset + NPAGES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code npages}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapEntry npages(final long value) {
        buffer.putLong(offset + NPAGES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
