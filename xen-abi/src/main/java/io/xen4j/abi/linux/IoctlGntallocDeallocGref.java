package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTALLOC_DEALLOC_GREF}: stop sharing pages allocated by
 * {@code IOCTL_GNTALLOC_ALLOC_GREF}; the grants end once the pages are unmapped.
 *
 * <pre>{@code
 * struct ioctl_gntalloc_dealloc_gref {
 *     // IN parameters
 *     // The offset returned in the map operation
 *     uint64_t index;
 *     // Number of references to unmap
 *     uint32_t count;
 * };
 * }</pre>
 */
public final class IoctlGntallocDeallocGref extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntalloc_dealloc_gref";
    /** Offset of {@code index}. */
    public static final int INDEX_OFFSET = 0;
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = INDEX_OFFSET + Long.BYTES;
    /** {@code sizeof(struct ioctl_gntalloc_dealloc_gref)} on x86_64, 4 bytes of tail padding included. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntallocDeallocGref wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code index}: the mmap offset the allocation returned.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long index() {
        return buffer.getLong(offset + INDEX_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code index}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntallocDeallocGref index(final long value) {
        buffer.putLong(offset + INDEX_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code count}: the number of references to release.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int count() {
        return buffer.getInt(offset + COUNT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code count}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntallocDeallocGref count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
