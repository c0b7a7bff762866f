package io.xen4j.abi;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The per-vCPU event and time state the hypervisor shares with a guest, in the x86_32 layout
 * ({@code evtchn_pending_sel} and {@code cr2} are 32 bits, {@code arch.pad} has five words); the
 * x86_64 layout is {@link VcpuInfo}. Both are 64 bytes and keep {@code time} at offset 32.
 *
 * <pre>{@code
 * struct vcpu_info {
 *     uint8_t evtchn_upcall_pending;       // written non-zero by Xen, cleared by the guest
 *     uint8_t evtchn_upcall_mask;          // XEN_HAVE_PV_UPCALL_MASK (x86)
 *     xen_ulong_t evtchn_pending_sel;      // a bit per word of shared_info.evtchn_pending
 *     struct arch_vcpu_info arch;
 *     vcpu_time_info_t time;
 * }; // 64 bytes (x86)
 *
 * struct arch_vcpu_info {                  // x86_64        | x86_32
 *     unsigned long cr2;
 *     unsigned long pad;                   // pad           | pad[5]
 * };
 * }</pre>
 *
 * <p>The plain accessors suit private copies and initialisation; the {@code Volatile} and atomic
 * ones order accesses to a structure the hypervisor (or the simulated host) updates concurrently
 * and need an {@link AtomicBuffer}.
 */
public final class VcpuInfoX86_32 extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "vcpu_info";
    /** Offset of {@code evtchn_upcall_pending}. */
    public static final int EVTCHN_UPCALL_PENDING_OFFSET = 0;
    /** Offset of {@code evtchn_upcall_mask}. */
    public static final int EVTCHN_UPCALL_MASK_OFFSET = EVTCHN_UPCALL_PENDING_OFFSET + Byte.BYTES;
    /** Offset of {@code evtchn_pending_sel}: 2 bytes of padding align the 32-bit word. */
    public static final int EVTCHN_PENDING_SEL_OFFSET = EVTCHN_UPCALL_MASK_OFFSET + Byte.BYTES + 2;
    /** Offset of {@code arch}. */
    public static final int ARCH_OFFSET = EVTCHN_PENDING_SEL_OFFSET + Integer.BYTES;
    /** Offset of {@code arch.cr2}. */
    public static final int ARCH_CR2_OFFSET = ARCH_OFFSET;
    /** Offset of {@code arch.pad}. */
    public static final int ARCH_PAD_OFFSET = ARCH_CR2_OFFSET + Integer.BYTES;
    /** Offset of {@code time}, a {@link VcpuTimeInfo}. */
    public static final int TIME_OFFSET = ARCH_PAD_OFFSET + 5 * Integer.BYTES;
    /** {@code sizeof(struct vcpu_info)} in the x86_32 ABI. */
    public static final int LENGTH = 64;
    /** Bits of {@code evtchn_pending_sel}: one per word of {@code shared_info.evtchn_pending}. */
    public static final int EVTCHN_PENDING_SEL_BITS = Integer.SIZE;

    /** Elements of {@code arch.pad}. */
    private static final int ARCH_PAD_COUNT = 5;
    /** Elements of {@code time.pad1}. */
    private static final int TIME_PAD1_COUNT = 2;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public VcpuInfoX86_32 wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code evtchn_upcall_pending}: non-zero when an event is pending for this vCPU.
     *
     * @return the value, 0..255
     */
    public int evtchnUpcallPending() {
        return buffer.getByte(offset + EVTCHN_UPCALL_PENDING_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code evtchn_upcall_pending}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 evtchnUpcallPending(final int value) {
        buffer.putByte(offset + EVTCHN_UPCALL_PENDING_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code evtchn_upcall_mask}: non-zero while the guest masks event upcalls.
     *
     * @return the value, 0..255
     */
    public int evtchnUpcallMask() {
        return buffer.getByte(offset + EVTCHN_UPCALL_MASK_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code evtchn_upcall_mask}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 evtchnUpcallMask(final int value) {
        buffer.putByte(offset + EVTCHN_UPCALL_MASK_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code evtchn_pending_sel}: a bit per {@code shared_info.evtchn_pending} word with pending ports.
     *
     * @return the value, bit {@code i} for word {@code i}
     */
    public int evtchnPendingSel() {
        return buffer.getInt(offset + EVTCHN_PENDING_SEL_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code evtchn_pending_sel}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 evtchnPendingSel(final int value) {
        buffer.putInt(offset + EVTCHN_PENDING_SEL_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.cr2}: the faulting address of a PV guest's last page fault.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int archCr2() {
        return buffer.getInt(offset + ARCH_CR2_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.cr2}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 archCr2(final int value) {
        buffer.putInt(offset + ARCH_CR2_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.pad[index]}: padding, zero.
     *
     * @param index index, 0..4
     * @return the value (unsigned 32 bit, as an int)
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public int archPad(final int index) {
        return buffer.getInt(archPadOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.pad[index]}.
     *
     * @param index index, 0..4
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public VcpuInfoX86_32 archPad(final int index, final int value) {
        buffer.putInt(archPadOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code time.version}: the time update counter.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int timeVersion() {
        return VcpuTimeInfo.version(buffer, offset + TIME_OFFSET);
    }

    /**
     * Writes {@code time.version}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 timeVersion(final int value) {
        buffer.putInt(offset + TIME_OFFSET + VcpuTimeInfo.VERSION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code time.pad0}: padding, zero.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int timePad0() {
        return buffer.getInt(offset + TIME_OFFSET + VcpuTimeInfo.PAD0_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code time.pad0}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 timePad0(final int value) {
        buffer.putInt(offset + TIME_OFFSET + VcpuTimeInfo.PAD0_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code time.tsc_timestamp}: the TSC at the last time update.
     *
     * @return the value (unsigned 64 bit, as a long)
     */
    public long timeTscTimestamp() {
        return VcpuTimeInfo.tscTimestamp(buffer, offset + TIME_OFFSET);
    }

    /**
     * Writes {@code time.tsc_timestamp}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 timeTscTimestamp(final long value) {
        buffer.putLong(offset + TIME_OFFSET + VcpuTimeInfo.TSC_TIMESTAMP_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code time.system_time}: nanoseconds since boot at the last time update.
     *
     * @return the value (unsigned 64 bit, as a long)
     */
    public long timeSystemTime() {
        return VcpuTimeInfo.systemTime(buffer, offset + TIME_OFFSET);
    }

    /**
     * Writes {@code time.system_time}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 timeSystemTime(final long value) {
        buffer.putLong(offset + TIME_OFFSET + VcpuTimeInfo.SYSTEM_TIME_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code time.tsc_to_system_mul}: the TSC-to-nanoseconds multiplier.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int timeTscToSystemMul() {
        return VcpuTimeInfo.tscToSystemMul(buffer, offset + TIME_OFFSET);
    }

    /**
     * Writes {@code time.tsc_to_system_mul}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 timeTscToSystemMul(final int value) {
        buffer.putInt(offset + TIME_OFFSET + VcpuTimeInfo.TSC_TO_SYSTEM_MUL_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code time.tsc_shift}: the shift applied to a TSC delta.
     *
     * @return the value, sign-extended
     */
    public byte timeTscShift() {
        return VcpuTimeInfo.tscShift(buffer, offset + TIME_OFFSET);
    }

    /**
     * Writes {@code time.tsc_shift}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 timeTscShift(final byte value) {
        buffer.putByte(offset + TIME_OFFSET + VcpuTimeInfo.TSC_SHIFT_OFFSET, value);
        return this;
    }

    /**
     * Reads {@code time.flags}: {@code XEN_PVCLOCK_*} bits.
     *
     * @return the value, 0..255
     */
    public int timeFlags() {
        return VcpuTimeInfo.flags(buffer, offset + TIME_OFFSET);
    }

    /**
     * Writes {@code time.flags}.
     *
     * @param value the value
     * @return this
     */
    public VcpuInfoX86_32 timeFlags(final int value) {
        buffer.putByte(offset + TIME_OFFSET + VcpuTimeInfo.FLAGS_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code time.pad1[index]}: padding, zero.
     *
     * @param index index, 0..1
     * @return the value, 0..255
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public int timePad1(final int index) {
        return buffer.getByte(timePad1Offset(index)) & 0xFF;
    }

    /**
     * Writes {@code time.pad1[index]}.
     *
     * @param index index, 0..1
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public VcpuInfoX86_32 timePad1(final int index, final int value) {
        buffer.putByte(timePad1Offset(index), (byte) value);
        return this;
    }

    /**
     * Reads {@code evtchn_upcall_pending} with volatile semantics: the hypervisor sets it from
     * another CPU.
     *
     * @return the value, 0..255
     * @throws IllegalStateException if the buffer is not an {@link AtomicBuffer}
     */
    public int getEvtchnUpcallPendingVolatile() {
        return atomic().getByteVolatile(offset + EVTCHN_UPCALL_PENDING_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code evtchn_upcall_pending} with volatile semantics: the guest clears it before it
     * scans the selector, the hypervisor sets it after it sets a selector bit.
     *
     * @param value the value
     * @throws IllegalStateException if the buffer is not an {@link AtomicBuffer}
     */
    public void putEvtchnUpcallPendingVolatile(final int value) {
        atomic().putByteVolatile(offset + EVTCHN_UPCALL_PENDING_OFFSET, (byte) value);
    }

    /**
     * Reads {@code evtchn_upcall_mask} with volatile semantics: the hypervisor reads it before an
     * upcall.
     *
     * @return the value, 0..255; non-zero masks upcalls
     * @throws IllegalStateException if the buffer is not an {@link AtomicBuffer}
     */
    public int getEvtchnUpcallMaskVolatile() {
        return atomic().getByteVolatile(offset + EVTCHN_UPCALL_MASK_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code evtchn_upcall_mask} with volatile semantics.
     *
     * @param value the value; non-zero masks upcalls
     * @throws IllegalStateException if the buffer is not an {@link AtomicBuffer}
     */
    public void putEvtchnUpcallMaskVolatile(final int value) {
        atomic().putByteVolatile(offset + EVTCHN_UPCALL_MASK_OFFSET, (byte) value);
    }

    /**
     * Atomically replaces {@code evtchn_pending_sel}, as the guest does with {@code xchg(sel, 0)}
     * before it scans the pending words the old value names.
     *
     * @param value the new selector, usually 0
     * @return the old selector
     * @throws IllegalStateException if the buffer is not an {@link AtomicBuffer}
     */
    public int getAndSetEvtchnPendingSel(final int value) {
        return SharedWords.getAndSetInt(atomic(), offset + EVTCHN_PENDING_SEL_OFFSET, value);
    }

    /**
     * Atomically sets bit {@code word} of {@code evtchn_pending_sel}, as the hypervisor does when
     * a port of pending word {@code word} becomes pending and unmasked.
     *
     * @param word index of the {@code shared_info.evtchn_pending} word, 0..31
     * @return whether the bit was already set
     * @throws IndexOutOfBoundsException if {@code word} is out of range
     * @throws IllegalStateException     if the buffer is not an {@link AtomicBuffer}
     */
    public boolean testAndSetEvtchnPendingSel(final int word) {
        AbiChecks.checkIndex(STRUCT_NAME, "evtchn_pending_sel", word, 32);
        return SharedWords.testAndSetBit(atomic(), offset + EVTCHN_PENDING_SEL_OFFSET, word);
    }

    /**
     * Offset of {@code time} in {@link #buffer()}, to wrap a {@link VcpuTimeInfo} or to call its
     * static accessors.
     *
     * @return the absolute offset of the time structure
     */
    public int timeOffset() {
        return offset + TIME_OFFSET;
    }

    private AtomicBuffer atomic() {
        return SharedWords.atomic(buffer, STRUCT_NAME);
    }

    private int archPadOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "arch.pad", index, ARCH_PAD_COUNT);
        return offset + ARCH_PAD_OFFSET + index * Integer.BYTES;
    }

    private int timePad1Offset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "time.pad1", index, TIME_PAD1_COUNT);
        return offset + TIME_OFFSET + VcpuTimeInfo.PAD1_OFFSET + index * Byte.BYTES;
    }
}
