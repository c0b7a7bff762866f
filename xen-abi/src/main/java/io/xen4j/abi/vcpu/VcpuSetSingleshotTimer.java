package io.xen4j.abi.vcpu;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code VCPUOP_set_singleshot_timer}, in the x86_64 layout (16 bytes, 4 of them
 * tail padding; x86_32 has 12). It is passed to the local hypervisor only, so there is no x86_32
 * class.
 *
 * <pre>{@code
 * struct vcpu_set_singleshot_timer {
 *     uint64_t timeout_abs_ns;   // Absolute system time value in nanoseconds.
 *     uint32_t flags;            // VCPU_SSHOTTMR_???
 * };
 * }</pre>
 */
public final class VcpuSetSingleshotTimer extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "vcpu_set_singleshot_timer";
    /** Offset of {@code timeout_abs_ns}. */
    public static final int TIMEOUT_ABS_NS_OFFSET = 0;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = TIMEOUT_ABS_NS_OFFSET + Long.BYTES;
    /** {@code sizeof(struct vcpu_set_singleshot_timer)} in the x86_64 ABI: 4 bytes of tail padding. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public VcpuSetSingleshotTimer wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code timeout_abs_ns}: the expiry, in nanoseconds of system time ({@code
     * vcpu_time_info.system_time}).
     *
     * @return the value (unsigned 64 bit, as a long)
     */
    public long timeoutAbsNs() {
        return buffer.getLong(offset + TIMEOUT_ABS_NS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code timeout_abs_ns}.
     *
     * @param value the value
     * @return this
     */
    public VcpuSetSingleshotTimer timeoutAbsNs(final long value) {
        buffer.putLong(offset + TIMEOUT_ABS_NS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: {@code VCPU_SSHOTTMR_*} flags, see {@link VcpuOp}.
     *
     * @return the value (unsigned 32 bit, as an int)
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
    public VcpuSetSingleshotTimer flags(final int value) {
        buffer.putInt(offset + FLAGS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
