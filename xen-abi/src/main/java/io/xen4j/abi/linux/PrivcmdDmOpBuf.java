package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One buffer of {@code IOCTL_PRIVCMD_DM_OP}: the kernel bounces it into the hypervisor's
 * {@code xen_dm_op_buf}.
 *
 * <pre>{@code
 * typedef struct privcmd_dm_op_buf {
 *     void __user *uptr;
 *     size_t size;
 * } privcmd_dm_op_buf_t;
 * }</pre>
 */
public final class PrivcmdDmOpBuf extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "privcmd_dm_op_buf";
    /** Offset of {@code uptr}. */
    public static final int UPTR_OFFSET = 0;
    /** Offset of {@code size}. */
    public static final int SIZE_OFFSET = UPTR_OFFSET + Long.BYTES;
    /** {@code sizeof(struct privcmd_dm_op_buf)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PrivcmdDmOpBuf wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code uptr}: the user-space address of the buffer.
     *
     * @return the address (x86_64 user-space pointer)
     */
    public long uptr() {
        return buffer.getLong(offset + UPTR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code uptr}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdDmOpBuf uptr(final long value) {
        buffer.putLong(offset + UPTR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code size}: the size of the buffer in bytes.
     *
     * @return the value: a {@code size_t}, unsigned 64-bit
     */
    public long size() {
        return buffer.getLong(offset + SIZE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code size}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdDmOpBuf size(final long value) {
        buffer.putLong(offset + SIZE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
