package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR}: find the mmap offset and page count of the
 * grant mapping at a virtual address.
 *
 * <pre>{@code
 * struct ioctl_gntdev_get_offset_for_vaddr {
 *     // IN parameters
 *     // The virtual address of the first mapped page in a range.
 *     uint64_t vaddr;
 *     // OUT parameters
 *     // The offset that was used in the initial mmap() operation.
 *     uint64_t offset;
 *     // The number of pages mapped in the VM area that begins at @vaddr.
 *     uint32_t count;
 *     uint32_t pad;
 * };
 * }</pre>
 */
public final class IoctlGntdevGetOffsetForVaddr extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_get_offset_for_vaddr";
    /** Offset of {@code vaddr}. */
    public static final int VADDR_OFFSET = 0;
    /** Offset of {@code offset}. */
    public static final int OFFSET_OFFSET = VADDR_OFFSET + Long.BYTES;
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = OFFSET_OFFSET + Long.BYTES;
    /** Offset of {@code pad}. */
    public static final int PAD_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_get_offset_for_vaddr)} on x86_64. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevGetOffsetForVaddr wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code vaddr}: the virtual address of the first mapped page.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long vaddr() {
        return buffer.getLong(offset + VADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code vaddr}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGetOffsetForVaddr vaddr(final long value) {
        buffer.putLong(offset + VADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code offset}: the mmap offset of the mapping, set by the kernel.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long mmapOffset() {
        return buffer.getLong(offset + OFFSET_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code offset}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGetOffsetForVaddr mmapOffset(final long value) {
        buffer.putLong(offset + OFFSET_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code count}: the number of pages mapped there, set by the kernel.
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
    public IoctlGntdevGetOffsetForVaddr count(final int value) {
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
    public IoctlGntdevGetOffsetForVaddr pad(final int value) {
        buffer.putInt(offset + PAD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
