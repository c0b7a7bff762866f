package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_GRANT_COPY}: an array of {@link IoctlGntdevGrantCopySegment}
 * copies the kernel batches into {@code GNTTABOP_copy}.
 *
 * <pre>{@code
 * struct ioctl_gntdev_grant_copy {
 *     unsigned int count;
 *     struct ioctl_gntdev_grant_copy_segment *segments;
 * };
 * }</pre>
 */
public final class IoctlGntdevGrantCopy extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_grant_copy";
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = 0;
    /** Offset of {@code segments}, after 4 bytes of padding: the pointer is 8-byte aligned. */
    public static final int SEGMENTS_OFFSET = COUNT_OFFSET + Integer.BYTES + 4;
    /** {@code sizeof(struct ioctl_gntdev_grant_copy)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevGrantCopy wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code count}: the number of segments.
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
    public IoctlGntdevGrantCopy count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code segments}: the user-space address of the segment array.
     *
     * @return the address (x86_64 user-space pointer)
     */
    public long segments() {
        return buffer.getLong(offset + SEGMENTS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code segments}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopy segments(final long value) {
        buffer.putLong(offset + SEGMENTS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
