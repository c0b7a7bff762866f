package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_MAP_GRANT_REF}: reserve {@code count} grants for mapping; mmap
 * /dev/xen/gntdev at the returned {@code index} to map them. The {@code refs} array is as long as
 * {@code count}: size the buffer with {@link #lengthFor(int)}.
 *
 * <pre>{@code
 * struct ioctl_gntdev_map_grant_ref {
 *     // IN parameters
 *     // The number of grants to be mapped.
 *     uint32_t count;
 *     uint32_t pad;
 *     // OUT parameters
 *     // The offset to be used on a subsequent call to mmap().
 *     uint64_t index;
 *     // Variable IN parameter.
 *     // Array of grant references, of size @count.
 *     struct ioctl_gntdev_grant_ref refs[1];
 * };
 * }</pre>
 */
public final class IoctlGntdevMapGrantRef extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_map_grant_ref";
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = 0;
    /** Offset of {@code pad}. */
    public static final int PAD_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** Offset of {@code index}. */
    public static final int INDEX_OFFSET = PAD_OFFSET + Integer.BYTES;
    /** Offset of {@code refs}. */
    public static final int REFS_OFFSET = INDEX_OFFSET + Long.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_map_grant_ref)} on x86_64. */
    public static final int LENGTH = 24;
    /** Bytes of one {@code refs} element. */
    public static final int REFS_ELEMENT_LENGTH = IoctlGntdevGrantRef.LENGTH;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevMapGrantRef wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code count}: the number of grants to map.
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
    public IoctlGntdevMapGrantRef count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code pad}: padding, written as 0.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int pad() {
        return buffer.getInt(offset + PAD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code pad}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevMapGrantRef pad(final int value) {
        buffer.putInt(offset + PAD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code index}: the mmap offset of the mapping, set by the kernel.
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
    public IoctlGntdevMapGrantRef index(final long value) {
        buffer.putLong(offset + INDEX_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code refs[index].domid}: the domain that granted the page.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @return the value: unsigned 32-bit, as the raw bits of an int
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public int grantDomid(final int index) {
        return buffer.getInt(refsOffset(index) + IoctlGntdevGrantRef.DOMID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code refs[index].domid}.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public IoctlGntdevMapGrantRef grantDomid(final int index, final int value) {
        buffer.putInt(refsOffset(index) + IoctlGntdevGrantRef.DOMID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code refs[index].ref}: the grant reference.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @return the value: unsigned 32-bit, as the raw bits of an int
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public int grantRef(final int index) {
        return buffer.getInt(refsOffset(index) + IoctlGntdevGrantRef.REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code refs[index].ref}.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public IoctlGntdevMapGrantRef grantRef(final int index, final int value) {
        buffer.putInt(refsOffset(index) + IoctlGntdevGrantRef.REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Bytes the ioctl argument needs for {@code count} elements of {@code refs}: the kernel
     * copies {@code count} elements from {@link #REFS_OFFSET} on, and at least {@link #LENGTH} bytes,
     * since the C header declares {@code refs[1]}.
     *
     * @param count number of elements
     * @return the buffer length to allocate
     * @throws IllegalArgumentException if count is negative or the length does not fit an int
     */
    public static int lengthFor(final int count) {
        return FlexibleArrays.lengthFor(STRUCT_NAME, LENGTH, REFS_OFFSET, REFS_ELEMENT_LENGTH, count);
    }

    /**
     * Number of {@code refs} elements the wrapped buffer holds from this structure on.
     *
     * @return elements that fit, at least 1 since {@link #wrap} checked {@link #LENGTH}
     */
    public int refsCapacity() {
        return FlexibleArrays.capacity(buffer.capacity(), offset, REFS_OFFSET, REFS_ELEMENT_LENGTH);
    }

    private int refsOffset(final int index) {
        return FlexibleArrays.elementOffset(
            STRUCT_NAME, "refs", buffer.capacity(), offset, REFS_OFFSET, REFS_ELEMENT_LENGTH, index);
    }
}
