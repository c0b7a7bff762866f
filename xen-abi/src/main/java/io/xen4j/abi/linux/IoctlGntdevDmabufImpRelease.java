package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_DMABUF_IMP_RELEASE}: end the grants of an imported dma-buf and
 * release it.
 *
 * <pre>{@code
 * struct ioctl_gntdev_dmabuf_imp_release {
 *     // IN parameters
 *     uint32_t fd;
 *     uint32_t reserved;
 * };
 * }</pre>
 */
public final class IoctlGntdevDmabufImpRelease extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_dmabuf_imp_release";
    /** Offset of {@code fd}. */
    public static final int FD_OFFSET = 0;
    /** Offset of {@code reserved}. */
    public static final int RESERVED_OFFSET = FD_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_dmabuf_imp_release)} on x86_64. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevDmabufImpRelease wrap(final MutableDirectBuffer buffer, final int offset) {
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
    public IoctlGntdevDmabufImpRelease fd(final int value) {
        buffer.putInt(offset + FD_OFFSET, value, XEN_BYTE_ORDER);
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
    public IoctlGntdevDmabufImpRelease reserved(final int value) {
        buffer.putInt(offset + RESERVED_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
