package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS}: map grants of domain {@code domid} and
 * export them as a dma-buf, whose file descriptor the kernel returns in {@code fd}. The {@code refs}
 * array is as long as {@code count}: size the buffer with {@link #lengthFor(int)}.
 *
 * <pre>{@code
 * struct ioctl_gntdev_dmabuf_exp_from_refs {
 *     // IN parameters.
 *     // Specific options for this dma-buf: see GNTDEV_DMABUF_FLAG_XXX.
 *     uint32_t flags;
 *     // Number of grant references in @refs array.
 *     uint32_t count;
 *     // OUT parameters.
 *     // File descriptor of the dma-buf.
 *     uint32_t fd;
 *     // The domain ID of the grant references to be mapped.
 *     uint32_t domid;
 *     // Variable IN parameter.
 *     // Array of grant references of size @count.
 *     uint32_t refs[1];
 * };
 * }</pre>
 */
public final class IoctlGntdevDmabufExpFromRefs extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_dmabuf_exp_from_refs";
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = FLAGS_OFFSET + Integer.BYTES;
    /** Offset of {@code fd}. */
    public static final int FD_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = FD_OFFSET + Integer.BYTES;
    /** Offset of {@code refs}. */
    public static final int REFS_OFFSET = DOMID_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_dmabuf_exp_from_refs)} on x86_64. */
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
    public IoctlGntdevDmabufExpFromRefs wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code flags}: the {@code GNTDEV_DMA_FLAG_*} bits.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int flags() {
        return buffer.getInt(offset + FLAGS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevDmabufExpFromRefs flags(final int value) {
        buffer.putInt(offset + FLAGS_OFFSET, value, XEN_BYTE_ORDER);
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
    public IoctlGntdevDmabufExpFromRefs count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code fd}: the dma-buf file descriptor, set by the kernel.
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
    public IoctlGntdevDmabufExpFromRefs fd(final int value) {
        buffer.putInt(offset + FD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domid}: the domain that granted the pages.
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
    public IoctlGntdevDmabufExpFromRefs domid(final int value) {
        buffer.putInt(offset + DOMID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code refs[index]}: a grant reference.
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
    public IoctlGntdevDmabufExpFromRefs ref(final int index, final int value) {
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
