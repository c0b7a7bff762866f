package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_UNMAP_GRANT_REF}: release grants reserved by a map; they are
 * unmapped when the last mmap of them goes.
 *
 * <pre>{@code
 * struct ioctl_gntdev_unmap_grant_ref {
 *     // IN parameters
 *     // The offset was returned by the corresponding map operation.
 *     uint64_t index;
 *     // The number of pages to be unmapped.
 *     uint32_t count;
 *     uint32_t pad;
 * };
 * }</pre>
 */
public final class IoctlGntdevUnmapGrantRef extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_unmap_grant_ref";
    /** Offset of {@code index}. */
    public static final int INDEX_OFFSET = 0;
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = INDEX_OFFSET + Long.BYTES;
    /** Offset of {@code pad}. */
    public static final int PAD_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_unmap_grant_ref)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevUnmapGrantRef wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code index}: the mmap offset the map returned.
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
    public IoctlGntdevUnmapGrantRef index(final long value) {
        buffer.putLong(offset + INDEX_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code count}: the number of pages to release.
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
    public IoctlGntdevUnmapGrantRef count(final int value) {
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
    public IoctlGntdevUnmapGrantRef pad(final int value) {
        buffer.putInt(offset + PAD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
