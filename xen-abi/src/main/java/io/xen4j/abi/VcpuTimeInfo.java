package io.xen4j.abi;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The per-vCPU system time the hypervisor keeps in {@code vcpu_info.time} (and in any area a guest
 * registers with {@code VCPUOP_register_vcpu_time_memory_area}); the same 32 bytes in every ABI.
 *
 * <pre>{@code
 * struct vcpu_time_info {
 *     uint32_t version;           // odd while an update is in progress
 *     uint32_t pad0;
 *     uint64_t tsc_timestamp;     // TSC at last update of time vals
 *     uint64_t system_time;       // time, in nanosecs, since boot
 *     uint32_t tsc_to_system_mul;
 *     int8_t   tsc_shift;
 *     uint8_t  flags;             // XEN_PVCLOCK_* (interface version > 0x040600)
 *     uint8_t  pad1[2];
 * }; // 32 bytes
 * }</pre>
 *
 * <p>The writer brackets every update with two increments of {@code version}, as a seqlock does,
 * so an odd version means an update is in progress. A reader reads the version with
 * {@link #getVersionVolatile(AtomicBuffer, int)}, copies the fields, issues
 * {@link java.lang.invoke.VarHandle#loadLoadFence()} so the copies cannot move past the second read,
 * reads the version again, and retries while it is odd or has changed. A writer stores the odd
 * version with {@link #putVersionVolatile(AtomicBuffer, int, int)}, issues
 * {@link java.lang.invoke.VarHandle#storeStoreFence()}, writes the fields and stores the even version
 * the same way.
 *
 * <p>The system time at a TSC value {@code tsc} is
 * {@code system_time + scaleDelta(tsc - tsc_timestamp, tsc_to_system_mul, tsc_shift)}, see
 * {@link #scaleDelta(long, int, int)}.
 */
public final class VcpuTimeInfo extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "vcpu_time_info";
    /** Offset of {@code version}. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of {@code pad0}. */
    public static final int PAD0_OFFSET = VERSION_OFFSET + Integer.BYTES;
    /** Offset of {@code tsc_timestamp}. */
    public static final int TSC_TIMESTAMP_OFFSET = PAD0_OFFSET + Integer.BYTES;
    /** Offset of {@code system_time}. */
    public static final int SYSTEM_TIME_OFFSET = TSC_TIMESTAMP_OFFSET + Long.BYTES;
    /** Offset of {@code tsc_to_system_mul}. */
    public static final int TSC_TO_SYSTEM_MUL_OFFSET = SYSTEM_TIME_OFFSET + Long.BYTES;
    /** Offset of {@code tsc_shift}. */
    public static final int TSC_SHIFT_OFFSET = TSC_TO_SYSTEM_MUL_OFFSET + Integer.BYTES;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = TSC_SHIFT_OFFSET + Byte.BYTES;
    /** Offset of {@code pad1}. */
    public static final int PAD1_OFFSET = FLAGS_OFFSET + Byte.BYTES;
    /** {@code sizeof(struct vcpu_time_info)}, the same in every ABI. */
    public static final int LENGTH = 32;

    /** Elements of {@code pad1}. */
    private static final int PAD1_COUNT = 2;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public VcpuTimeInfo wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code version}: the update counter, odd while an update is in progress.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int version(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + VERSION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code version}: the update counter, odd while an update is in progress.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int version() {
        return version(buffer, offset);
    }

    /**
     * Writes {@code version}.
     *
     * @param value the value
     * @return this
     */
    public VcpuTimeInfo version(final int value) {
        buffer.putInt(offset + VERSION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code pad0}: padding, zero.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int pad0() {
        return buffer.getInt(offset + PAD0_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code pad0}.
     *
     * @param value the value
     * @return this
     */
    public VcpuTimeInfo pad0(final int value) {
        buffer.putInt(offset + PAD0_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code tsc_timestamp}: the TSC at the last update.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 64 bit, as a long)
     */
    public static long tscTimestamp(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + TSC_TIMESTAMP_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code tsc_timestamp}: the TSC at the last update.
     *
     * @return the value (unsigned 64 bit, as a long)
     */
    public long tscTimestamp() {
        return tscTimestamp(buffer, offset);
    }

    /**
     * Writes {@code tsc_timestamp}.
     *
     * @param value the value
     * @return this
     */
    public VcpuTimeInfo tscTimestamp(final long value) {
        buffer.putLong(offset + TSC_TIMESTAMP_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code system_time}: nanoseconds since boot at the last update.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 64 bit, as a long)
     */
    public static long systemTime(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + SYSTEM_TIME_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code system_time}: nanoseconds since boot at the last update.
     *
     * @return the value (unsigned 64 bit, as a long)
     */
    public long systemTime() {
        return systemTime(buffer, offset);
    }

    /**
     * Writes {@code system_time}.
     *
     * @param value the value
     * @return this
     */
    public VcpuTimeInfo systemTime(final long value) {
        buffer.putLong(offset + SYSTEM_TIME_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code tsc_to_system_mul}: the TSC-to-nanoseconds multiplier, a 32.32 fixed-point fraction.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int tscToSystemMul(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + TSC_TO_SYSTEM_MUL_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code tsc_to_system_mul}: the TSC-to-nanoseconds multiplier, a 32.32 fixed-point fraction.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int tscToSystemMul() {
        return tscToSystemMul(buffer, offset);
    }

    /**
     * Writes {@code tsc_to_system_mul}.
     *
     * @param value the value
     * @return this
     */
    public VcpuTimeInfo tscToSystemMul(final int value) {
        buffer.putInt(offset + TSC_TO_SYSTEM_MUL_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code tsc_shift}: the shift applied to a TSC delta before the multiplication; negative shifts
     * right.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, sign-extended
     */
    public static byte tscShift(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + TSC_SHIFT_OFFSET);
    }

    /**
     * Reads {@code tsc_shift}: the shift applied to a TSC delta before the multiplication; negative shifts
     * right.
     *
     * @return the value, sign-extended
     */
    public byte tscShift() {
        return tscShift(buffer, offset);
    }

    /**
     * Writes {@code tsc_shift}.
     *
     * @param value the value
     * @return this
     */
    public VcpuTimeInfo tscShift(final byte value) {
        buffer.putByte(offset + TSC_SHIFT_OFFSET, value);
        return this;
    }

    /**
     * Reads {@code flags}: {@code XEN_PVCLOCK_*} bits.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, 0..255
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code flags}: {@code XEN_PVCLOCK_*} bits.
     *
     * @return the value, 0..255
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the value
     * @return this
     */
    public VcpuTimeInfo flags(final int value) {
        buffer.putByte(offset + FLAGS_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code pad1[index]}: padding, zero.
     *
     * @param index index, 0..1
     * @return the value, 0..255
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public int pad1(final int index) {
        return buffer.getByte(pad1Offset(index)) & 0xFF;
    }

    /**
     * Writes {@code pad1[index]}.
     *
     * @param index index, 0..1
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public VcpuTimeInfo pad1(final int index, final int value) {
        buffer.putByte(pad1Offset(index), (byte) value);
        return this;
    }

    /**
     * Reads {@code version} with volatile semantics, for the seqlock protocol described above.
     *
     * @param buffer buffer holding the structure, shared with the writer
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int getVersionVolatile(final AtomicBuffer buffer, final int offset) {
        return SharedWords.getIntVolatile(buffer, offset + VERSION_OFFSET);
    }

    /**
     * Writes {@code version} with volatile semantics, for the seqlock protocol described above.
     *
     * @param buffer buffer holding the structure, shared with the readers
     * @param offset offset of the structure
     * @param value  the new version: odd before an update, even after it
     */
    public static void putVersionVolatile(final AtomicBuffer buffer, final int offset, final int value) {
        SharedWords.putIntVolatile(buffer, offset + VERSION_OFFSET, value);
    }

    /**
     * Converts a TSC delta to nanoseconds as the hypervisor and Linux ({@code pvclock_scale_delta})
     * do: shift the delta by {@code tscShift}, then keep bits 32..95 of its 96-bit product with the
     * unsigned multiplier.
     *
     * @param delta          TSC ticks since {@code tsc_timestamp} (unsigned)
     * @param tscToSystemMul {@code tsc_to_system_mul} (unsigned)
     * @param tscShift       {@code tsc_shift}
     * @return nanoseconds to add to {@code system_time}
     */
    public static long scaleDelta(final long delta, final int tscToSystemMul, final int tscShift) {
        final long shifted = tscShift >= 0 ? delta << tscShift : delta >>> -tscShift;
        final long mul = Integer.toUnsignedLong(tscToSystemMul);
        // 64 x 32 bit product in two halves, so that no bit of the 96-bit result is lost.
        return (shifted >>> 32) * mul + (((shifted & 0xFFFF_FFFFL) * mul) >>> 32);
    }

    private int pad1Offset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "pad1", index, PAD1_COUNT);
        return offset + PAD1_OFFSET + index * Byte.BYTES;
    }
}
