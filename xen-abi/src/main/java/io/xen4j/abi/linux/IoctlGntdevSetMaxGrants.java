package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_SET_MAX_GRANTS}: the most grants this file descriptor may map at
 * once (ignored by current kernels, kept for the ABI).
 *
 * <pre>{@code
 * struct ioctl_gntdev_set_max_grants {
 *     // IN parameter
 *     // The maximum number of grants that may be mapped at once.
 *     uint32_t count;
 * };
 * }</pre>
 */
public final class IoctlGntdevSetMaxGrants extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_set_max_grants";
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = 0;
    /** {@code sizeof(struct ioctl_gntdev_set_max_grants)} on x86_64. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevSetMaxGrants wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code count}: the maximum number of grants.
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
    public IoctlGntdevSetMaxGrants count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
