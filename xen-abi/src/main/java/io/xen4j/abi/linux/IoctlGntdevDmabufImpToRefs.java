package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_DMABUF_IMP_TO_REFS}: import a dma-buf and grant its pages to
 * domain {@code domid}; the kernel fills {@code refs}, as long as {@code count}: size the buffer with
 * {@link #lengthFor(int)}.
 *
 * <pre>{@code
 * struct ioctl_gntdev_dmabuf_imp_to_refs {
 *     // IN parameters.
 *     // File descriptor of the dma-buf.
 *     uint32_t fd;
 *     // Number of grant references in @refs array.
 *     uint32_t count;
 *     // The domain ID for which references to be granted.
 *     uint32_t domid;
 *     // Reserved - must be zero.
 *     uint32_t reserved;
 *     // OUT parameters.
 *     // Array of grant references of size @count.
 *     uint32_t refs[1];
 * };
 * }</pre>
 */
public final class IoctlGntdevDmabufImpToRefs extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_dmabuf_imp_to_refs";
    /** Offset of {@code fd}. */
    public static final int FD_OFFSET = 0;
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = FD_OFFSET + Integer.BYTES;
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** Offset of {@code reserved}. */
    public static final int RESERVED_OFFSET = DOMID_OFFSET + Integer.BYTES;
    /** Offset of {@code refs}. */
    public static final int REFS_OFFSET = RESERVED_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_dmabuf_imp_to_refs)} on x86_64. */
    public static final int LENGTH = 20;
    /** Bytes of one {@code refs} element. */
    public static final int REFS_ELEMENT_LENGTH = Integer.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevDmabufImpToRefs wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code fd}: the dma-buf file descriptor.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int fd() {
        return buffer.getInt(offset + FD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code fd}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevDmabufImpToRefs fd(final int value) {
        buffer.putInt(offset + FD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code count}: the number of grant references.
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
    public IoctlGntdevDmabufImpToRefs count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domid}: the domain to grant the pages to.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int domid() {
        return buffer.getInt(offset + DOMID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domid}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevDmabufImpToRefs domid(final int value) {
        buffer.putInt(offset + DOMID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code reserved}: reserved, must be 0.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int reserved() {
        return buffer.getInt(offset + RESERVED_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code reserved}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevDmabufImpToRefs reserved(final int value) {
        buffer.putInt(offset + RESERVED_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code refs[index]}: a grant reference, set by the kernel.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @return the value: unsigned 32-bit, as the raw bits of an int
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public int ref(final int index) {
        return buffer.getInt(refsOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code refs[index]}.
     *
     * @param index element index: 0 up to the count the caller sized the buffer for
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if the element lies outside the wrapped buffer
     */
    public IoctlGntdevDmabufImpToRefs ref(final int index, final int value) {
        buffer.putInt(refsOffset(index), value, XEN_BYTE_ORDER);
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
