package io.xen4j.abi.linux;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_PRIVCMD_HYPERCALL}: a hypercall number and its five arguments, which
 * the kernel passes to the hypervisor unchanged and whose result is the ioctl's return value.
 *
 * <pre>{@code
 * typedef struct privcmd_hypercall
 * {
 *     __u64 op;
 *     __u64 arg[5];
 * } privcmd_hypercall_t;
 * }</pre>
 */
public final class PrivcmdHypercall extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "privcmd_hypercall";
    /** Offset of {@code op}. */
    public static final int OP_OFFSET = 0;
    /** Offset of {@code arg}. */
    public static final int ARG_OFFSET = OP_OFFSET + Long.BYTES;
    /** {@code sizeof(struct privcmd_hypercall)} on x86_64. */
    public static final int LENGTH = 48;
    /** Number of hypercall arguments, the length of {@code arg}. */
    public static final int ARG_COUNT = (LENGTH - ARG_OFFSET) / Long.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PrivcmdHypercall wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code op}: the hypercall number, a {@code __HYPERVISOR_*}.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long op() {
        return buffer.getLong(offset + OP_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code op}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdHypercall op(final long value) {
        buffer.putLong(offset + OP_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arg[index]}: hypercall argument, a value or a user-space address.
     *
     * @param index argument index, 0..{@value #ARG_COUNT} - 1
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long arg(final int index) {
        return buffer.getLong(argOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arg[index]}.
     *
     * @param index argument index, 0..{@value #ARG_COUNT} - 1
     * @param value the value
     * @return this
     */
    public PrivcmdHypercall arg(final int index, final long value) {
        buffer.putLong(argOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    private int argOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "arg", index, ARG_COUNT);
        return offset + ARG_OFFSET + index * Long.BYTES;
    }
}
