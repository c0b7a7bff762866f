package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED}: wait until an exported dma-buf is
 * released, at most {@code wait_to_ms} milliseconds.
 *
 * <pre>{@code
 * struct ioctl_gntdev_dmabuf_exp_wait_released {
 *     // IN parameters
 *     uint32_t fd;
 *     uint32_t wait_to_ms;
 * };
 * }</pre>
 */
public final class IoctlGntdevDmabufExpWaitReleased extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_dmabuf_exp_wait_released";
    /** Offset of {@code fd}. */
    public static final int FD_OFFSET = 0;
    /** Offset of {@code wait_to_ms}. */
    public static final int WAIT_TO_MS_OFFSET = FD_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_dmabuf_exp_wait_released)} on x86_64. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevDmabufExpWaitReleased wrap(final MutableDirectBuffer buffer, final int offset) {
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
    public IoctlGntdevDmabufExpWaitReleased fd(final int value) {
        buffer.putInt(offset + FD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code wait_to_ms}: the timeout in milliseconds.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int waitToMs() {
        return buffer.getInt(offset + WAIT_TO_MS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code wait_to_ms}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevDmabufExpWaitReleased waitToMs(final int value) {
        buffer.putInt(offset + WAIT_TO_MS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
