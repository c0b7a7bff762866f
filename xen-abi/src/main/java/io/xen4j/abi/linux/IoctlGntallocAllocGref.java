package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTALLOC_ALLOC_GREF}: allocate {@code count} zeroed pages, grant them to
 * {@code domid} and return their grant references in {@code gref_ids} and their mmap offset in
 * {@code index}. The {@code gref_ids} array is as long as {@code count}: size the buffer with
 * {@link #lengthFor(int)}.
 *
 * <pre>{@code
 * struct ioctl_gntalloc_alloc_gref {
 *     // IN parameters
 *     // The ID of the domain to be given access to the grants.
 *     uint16_t domid;
 *     // Flags for this mapping
 *     uint16_t flags;
 *     // Number of pages to map
 *     uint32_t count;
 *     // OUT parameters
 *     // The offset to be used on a subsequent call to mmap().
 *     uint64_t index;
 *     // The grant references of the newly created grant, one per page
 *     // Variable size, depending on count
 *     uint32_t gref_ids[1];
 * };
 * }</pre>
 */
public final class IoctlGntallocAllocGref extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntalloc_alloc_gref";
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = 0;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = DOMID_OFFSET + Short.BYTES;
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = FLAGS_OFFSET + Short.BYTES;
    /** Offset of {@code index}. */
    public static final int INDEX_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** Offset of {@code gref_ids}. */
    public static final int GREF_IDS_OFFSET = INDEX_OFFSET + Long.BYTES;
    /** {@code sizeof(struct ioctl_gntalloc_alloc_gref)} on x86_64, 4 bytes of tail padding included. */
    public static final int LENGTH = 24;
    /** Bytes of one {@code gref_ids} element. */
    public static final int GREF_IDS_ELEMENT_LENGTH = Integer.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntallocAllocGref wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code domid}: the domain given access to the pages.
     *
     * @return the value, zero-extended
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
    public IoctlGntallocAllocGref domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: the {@code GNTALLOC_FLAG_*} bits.
     *
     * @return the value, zero-extended
     */
    public int flags() {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntallocAllocGref flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code count}: the number of pages.
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
    public IoctlGntallocAllocGref count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code index}: the mmap offset of the pages, set by the kernel.
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
    public IoctlGntallocAllocGref index(final long value) {
        buffer.putLong(offset + INDEX_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code gref_ids[index]}: a grant reference, set by the kernel.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @return the value: unsigned 32-bit, as the raw bits of an int
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public int grefId(final int index) {
        return buffer.getInt(grefIdsOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code gref_ids[index]}.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public IoctlGntallocAllocGref grefId(final int index, final int value) {
        buffer.putInt(grefIdsOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Bytes the ioctl argument needs for {@code count} elements of {@code gref_ids}: the kernel
     * copies {@code count} elements from {@link #GREF_IDS_OFFSET} on, and at least {@link #LENGTH} bytes,
     * since the C header declares {@code gref_ids[1]}.
     *
     * @param count number of elements
     * @return the buffer length to allocate
     * @throws IllegalArgumentException if count is negative or the length does not fit an int
     */
    public static int lengthFor(final int count) {
        return FlexibleArrays.lengthFor(STRUCT_NAME, LENGTH, GREF_IDS_OFFSET, GREF_IDS_ELEMENT_LENGTH, count);
    }

    /**
     * Number of {@code gref_ids} elements the wrapped buffer holds from this structure on.
     *
     * @return elements that fit, at least 1 since {@link #wrap} checked {@link #LENGTH}
     */
    public int grefIdsCapacity() {
        return FlexibleArrays.capacity(buffer.capacity(), offset, GREF_IDS_OFFSET, GREF_IDS_ELEMENT_LENGTH);
    }

    private int grefIdsOffset(final int index) {
        return FlexibleArrays.elementOffset(
            STRUCT_NAME, "gref_ids", buffer.capacity(), offset, GREF_IDS_OFFSET, GREF_IDS_ELEMENT_LENGTH, index);
    }
}
