package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_PRIVCMD_DM_OP}: a device-model operation on domain {@code dom}, its
 * first buffer holding the {@code xen_dm_op} itself.
 *
 * <pre>{@code
 * typedef struct privcmd_dm_op {
 *     domid_t dom;
 *     __u16 num;
 *     const privcmd_dm_op_buf_t __user *ubufs;
 * } privcmd_dm_op_t;
 * }</pre>
 */
public final class PrivcmdDmOp extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "privcmd_dm_op";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code num}. */
    public static final int NUM_OFFSET = DOM_OFFSET + Short.BYTES;
    /** Offset of {@code ubufs}, after 4 bytes of padding: the pointer is 8-byte aligned. */
    public static final int UBUFS_OFFSET = NUM_OFFSET + Short.BYTES + 4;
    /** {@code sizeof(struct privcmd_dm_op)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PrivcmdDmOp wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code dom}: the target domain.
     *
     * @return the value, zero-extended
     */
    public int dom() {
        return buffer.getShort(offset + DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dom}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdDmOp dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code num}: the number of buffers.
     *
     * @return the value, zero-extended
     */
    public int num() {
        return buffer.getShort(offset + NUM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code num}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdDmOp num(final int value) {
        buffer.putShort(offset + NUM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code ubufs}: the user-space address of the {@code privcmd_dm_op_buf} array.
     *
     * @return the address (x86_64 user-space pointer)
     */
    public long ubufs() {
        return buffer.getLong(offset + UBUFS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code ubufs}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdDmOp ubufs(final long value) {
        buffer.putLong(offset + UBUFS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
