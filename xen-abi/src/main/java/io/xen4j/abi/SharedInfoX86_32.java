package io.xen4j.abi;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The page of state the hypervisor shares with every guest, in the x86_32 layout (32-bit event
 * words and {@code arch} fields, {@code wc_sec_hi} at the end of {@code arch}); {@link SharedInfo}
 * is the x86_64 layout. It holds the legacy per-vCPU {@link VcpuInfoX86_32}s, the 2-level event
 * channel bitmaps and the wallclock.
 *
 * <pre>{@code
 * struct shared_info {
 *     struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
 *     xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
 *     xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
 *     uint32_t wc_version;      // Version counter: see vcpu_time_info_t.
 *     uint32_t wc_sec;
 *     uint32_t wc_nsec;
 * #if !defined(__i386__)
 *     uint32_t wc_sec_hi;
 * #endif
 *     struct arch_shared_info arch;
 * };
 *
 * struct arch_shared_info {
 *     unsigned long max_pfn;
 *     xen_pfn_t     pfn_to_mfn_frame_list_list;
 *     unsigned long nmi_reason;
 *     unsigned long p2m_cr3;         // cr3 value of the p2m address space
 *     unsigned long p2m_vaddr;       // virtual address of the p2m list
 *     unsigned long p2m_generation;  // generation count of p2m mapping
 * #ifdef __i386__
 *     uint32_t wc_sec_hi;            // no room for it in the generic structure
 * #endif
 * };
 * }</pre>
 *
 * <p>Event channel {@code port} is bit {@code port % W} of word {@code port / W} of
 * {@code evtchn_pending} and {@code evtchn_mask}, W being the bits of a word; the port methods
 * ({@link #isEvtchnPending(int)}, {@link #testAndSetEvtchnPending(int)}, ...) work on these bits
 * atomically, as Xen and the guest kernel do, and need an {@link AtomicBuffer}. The wallclock
 * ({@code wc_*}) is versioned like {@link VcpuTimeInfo}: read {@code wc_version} with
 * {@link #getWcVersionVolatile()} before and after copying the other fields.
 *
 * <p>The hypervisor may grow the structure within its page, so {@link #LENGTH} is what the
 * installed headers say, not a limit the guest can rely on.
 */
public final class SharedInfoX86_32 extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "shared_info";
    /** Words of {@code evtchn_pending} and of {@code evtchn_mask}: {@code sizeof(xen_ulong_t) * 8}. */
    public static final int EVTCHN_WORDS = Integer.SIZE;
    /** Ports of the 2-level event channel ABI: {@code EVTCHN_2L_NR_CHANNELS} of x86_32. */
    public static final int NR_PORTS = EVTCHN_WORDS * Integer.SIZE;
    /** Offset of {@code vcpu_info}, {@link Xen#XEN_LEGACY_MAX_VCPUS} {@link VcpuInfoX86_32}s. */
    public static final int VCPU_INFO_OFFSET = 0;
    /** Offset of {@code evtchn_pending}. */
    public static final int EVTCHN_PENDING_OFFSET =
        VCPU_INFO_OFFSET + Xen.XEN_LEGACY_MAX_VCPUS * VcpuInfoX86_32.LENGTH;
    /** Offset of {@code evtchn_mask}. */
    public static final int EVTCHN_MASK_OFFSET = EVTCHN_PENDING_OFFSET + EVTCHN_WORDS * Integer.BYTES;
    /** Offset of {@code wc_version}. */
    public static final int WC_VERSION_OFFSET = EVTCHN_MASK_OFFSET + EVTCHN_WORDS * Integer.BYTES;
    /** Offset of {@code wc_sec}. */
    public static final int WC_SEC_OFFSET = WC_VERSION_OFFSET + Integer.BYTES;
    /** Offset of {@code wc_nsec}. */
    public static final int WC_NSEC_OFFSET = WC_SEC_OFFSET + Integer.BYTES;
    /** Offset of {@code arch}: x86_32 has no {@code wc_sec_hi} here. */
    public static final int ARCH_OFFSET = WC_NSEC_OFFSET + Integer.BYTES;
    /** Offset of {@code arch.max_pfn}. */
    public static final int ARCH_MAX_PFN_OFFSET = ARCH_OFFSET;
    /** Offset of {@code arch.pfn_to_mfn_frame_list_list}. */
    public static final int ARCH_PFN_TO_MFN_FRAME_LIST_LIST_OFFSET = ARCH_MAX_PFN_OFFSET + Integer.BYTES;
    /** Offset of {@code arch.nmi_reason}. */
    public static final int ARCH_NMI_REASON_OFFSET = ARCH_PFN_TO_MFN_FRAME_LIST_LIST_OFFSET + Integer.BYTES;
    /** Offset of {@code arch.p2m_cr3}. */
    public static final int ARCH_P2M_CR3_OFFSET = ARCH_NMI_REASON_OFFSET + Integer.BYTES;
    /** Offset of {@code arch.p2m_vaddr}. */
    public static final int ARCH_P2M_VADDR_OFFSET = ARCH_P2M_CR3_OFFSET + Integer.BYTES;
    /** Offset of {@code arch.p2m_generation}. */
    public static final int ARCH_P2M_GENERATION_OFFSET = ARCH_P2M_VADDR_OFFSET + Integer.BYTES;
    /** Offset of {@code arch.wc_sec_hi}, the x86_32 home of {@code wc_sec_hi}. */
    public static final int WC_SEC_HI_OFFSET = ARCH_P2M_GENERATION_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct shared_info)} in the x86_32 ABI. */
    public static final int LENGTH = 2344;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public SharedInfoX86_32 wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code evtchn_pending[index]}: pending bits of ports {@code index * 32} to {@code index * 32 +
     * 31}.
     *
     * @param index word index, 0..EVTCHN_WORDS - 1
     * @return the value (unsigned 32 bit, as an int)
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public int evtchnPending(final int index) {
        return buffer.getInt(evtchnPendingOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code evtchn_pending[index]}.
     *
     * @param index word index, 0..EVTCHN_WORDS - 1
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public SharedInfoX86_32 evtchnPending(final int index, final int value) {
        buffer.putInt(evtchnPendingOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code evtchn_mask[index]}: mask bits of ports {@code index * 32} to {@code index * 32 + 31}.
     *
     * @param index word index, 0..EVTCHN_WORDS - 1
     * @return the value (unsigned 32 bit, as an int)
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public int evtchnMask(final int index) {
        return buffer.getInt(evtchnMaskOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code evtchn_mask[index]}.
     *
     * @param index word index, 0..EVTCHN_WORDS - 1
     * @param value the value
     * @return this
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public SharedInfoX86_32 evtchnMask(final int index, final int value) {
        buffer.putInt(evtchnMaskOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code wc_version}: the wallclock update counter, odd while an update is in progress.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int wcVersion() {
        return buffer.getInt(offset + WC_VERSION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code wc_version}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 wcVersion(final int value) {
        buffer.putInt(offset + WC_VERSION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code wc_sec}: the low 32 bits of the wallclock seconds at system time 0.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int wcSec() {
        return buffer.getInt(offset + WC_SEC_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code wc_sec}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 wcSec(final int value) {
        buffer.putInt(offset + WC_SEC_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code wc_nsec}: the nanoseconds of the wallclock at system time 0.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int wcNsec() {
        return buffer.getInt(offset + WC_NSEC_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code wc_nsec}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 wcNsec(final int value) {
        buffer.putInt(offset + WC_NSEC_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.wc_sec_hi}: the high 32 bits of the wallclock seconds.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int wcSecHi() {
        return buffer.getInt(offset + WC_SEC_HI_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.wc_sec_hi}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 wcSecHi(final int value) {
        buffer.putInt(offset + WC_SEC_HI_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.max_pfn}: valid entries of the guest's p2m table.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int archMaxPfn() {
        return buffer.getInt(offset + ARCH_MAX_PFN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.max_pfn}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 archMaxPfn(final int value) {
        buffer.putInt(offset + ARCH_MAX_PFN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.pfn_to_mfn_frame_list_list}: the frame of the p2m frame list list (0: not set up, ~0:
     * invalid).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int archPfnToMfnFrameListList() {
        return buffer.getInt(offset + ARCH_PFN_TO_MFN_FRAME_LIST_LIST_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.pfn_to_mfn_frame_list_list}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 archPfnToMfnFrameListList(final int value) {
        buffer.putInt(offset + ARCH_PFN_TO_MFN_FRAME_LIST_LIST_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.nmi_reason}: the reason of the last NMI.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int archNmiReason() {
        return buffer.getInt(offset + ARCH_NMI_REASON_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.nmi_reason}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 archNmiReason(final int value) {
        buffer.putInt(offset + ARCH_NMI_REASON_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.p2m_cr3}: the cr3 value of the p2m address space.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int archP2mCr3() {
        return buffer.getInt(offset + ARCH_P2M_CR3_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.p2m_cr3}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 archP2mCr3(final int value) {
        buffer.putInt(offset + ARCH_P2M_CR3_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.p2m_vaddr}: the virtual address of the linear p2m list.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int archP2mVaddr() {
        return buffer.getInt(offset + ARCH_P2M_VADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.p2m_vaddr}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 archP2mVaddr(final int value) {
        buffer.putInt(offset + ARCH_P2M_VADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code arch.p2m_generation}: the generation count of the p2m mapping, odd while the guest changes
     * it.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int archP2mGeneration() {
        return buffer.getInt(offset + ARCH_P2M_GENERATION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code arch.p2m_generation}.
     *
     * @param value the value
     * @return this
     */
    public SharedInfoX86_32 archP2mGeneration(final int value) {
        buffer.putInt(offset + ARCH_P2M_GENERATION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Offset of {@code vcpu_info[vcpu]} in {@link #buffer()}, to wrap a {@link VcpuInfoX86_32}.
     *
     * @param vcpu vCPU id, 0..{@value Xen#XEN_LEGACY_MAX_VCPUS} - 1
     * @return the absolute offset of the vCPU's structure
     * @throws IndexOutOfBoundsException if {@code vcpu} is out of range
     */
    public int vcpuInfoOffset(final int vcpu) {
        AbiChecks.checkIndex(STRUCT_NAME, "vcpu_info", vcpu, Xen.XEN_LEGACY_MAX_VCPUS);
        return offset + VCPU_INFO_OFFSET + vcpu * VcpuInfoX86_32.LENGTH;
    }

    /**
     * Reads the pending bit of {@code port} with volatile semantics.
     *
     * @param port event channel port, 0..{@value #NR_PORTS} - 1
     * @return whether the port is pending
     * @throws IndexOutOfBoundsException if {@code port} is out of range
     * @throws IllegalStateException     if the buffer is not an {@link AtomicBuffer}
     */
    public boolean isEvtchnPending(final int port) {
        return SharedWords.testBit(atomic(), offset + EVTCHN_PENDING_OFFSET, checkPort(port));
    }

    /**
     * Atomically sets the pending bit of {@code port}, as the hypervisor does to deliver an event.
     *
     * @param port event channel port, 0..{@value #NR_PORTS} - 1
     * @return whether it was already pending (then no upcall is owed)
     * @throws IndexOutOfBoundsException if {@code port} is out of range
     * @throws IllegalStateException     if the buffer is not an {@link AtomicBuffer}
     */
    public boolean testAndSetEvtchnPending(final int port) {
        return SharedWords.testAndSetBit(atomic(), offset + EVTCHN_PENDING_OFFSET, checkPort(port));
    }

    /**
     * Atomically clears the pending bit of {@code port}, as the guest does before it handles the
     * event.
     *
     * @param port event channel port, 0..{@value #NR_PORTS} - 1
     * @return whether it was pending
     * @throws IndexOutOfBoundsException if {@code port} is out of range
     * @throws IllegalStateException     if the buffer is not an {@link AtomicBuffer}
     */
    public boolean testAndClearEvtchnPending(final int port) {
        return SharedWords.testAndClearBit(atomic(), offset + EVTCHN_PENDING_OFFSET, checkPort(port));
    }

    /**
     * Reads the mask bit of {@code port} with volatile semantics.
     *
     * @param port event channel port, 0..{@value #NR_PORTS} - 1
     * @return whether the port is masked
     * @throws IndexOutOfBoundsException if {@code port} is out of range
     * @throws IllegalStateException     if the buffer is not an {@link AtomicBuffer}
     */
    public boolean isEvtchnMasked(final int port) {
        return SharedWords.testBit(atomic(), offset + EVTCHN_MASK_OFFSET, checkPort(port));
    }

    /**
     * Atomically sets the mask bit of {@code port}.
     *
     * @param port event channel port, 0..{@value #NR_PORTS} - 1
     * @return whether it was already masked
     * @throws IndexOutOfBoundsException if {@code port} is out of range
     * @throws IllegalStateException     if the buffer is not an {@link AtomicBuffer}
     */
    public boolean testAndSetEvtchnMask(final int port) {
        return SharedWords.testAndSetBit(atomic(), offset + EVTCHN_MASK_OFFSET, checkPort(port));
    }

    /**
     * Atomically clears the mask bit of {@code port}; a guest then asks the hypervisor
     * ({@code EVTCHNOP_unmask}) to deliver an event that became pending while masked.
     *
     * @param port event channel port, 0..{@value #NR_PORTS} - 1
     * @return whether it was masked
     * @throws IndexOutOfBoundsException if {@code port} is out of range
     * @throws IllegalStateException     if the buffer is not an {@link AtomicBuffer}
     */
    public boolean testAndClearEvtchnMask(final int port) {
        return SharedWords.testAndClearBit(atomic(), offset + EVTCHN_MASK_OFFSET, checkPort(port));
    }

    /**
     * Reads {@code wc_version} with volatile semantics, for the seqlock protocol of
     * {@link VcpuTimeInfo}.
     *
     * @return the value (unsigned 32 bit, as an int)
     * @throws IllegalStateException if the buffer is not an {@link AtomicBuffer}
     */
    public int getWcVersionVolatile() {
        return SharedWords.getIntVolatile(atomic(), offset + WC_VERSION_OFFSET);
    }

    /**
     * Writes {@code wc_version} with volatile semantics, for the seqlock protocol of
     * {@link VcpuTimeInfo}.
     *
     * @param value odd before an update of the wallclock, even after it
     * @throws IllegalStateException if the buffer is not an {@link AtomicBuffer}
     */
    public void putWcVersionVolatile(final int value) {
        SharedWords.putIntVolatile(atomic(), offset + WC_VERSION_OFFSET, value);
    }

    /**
     * The wallclock seconds at system time 0: {@code wc_sec_hi} and {@code wc_sec} combined.
     *
     * @return seconds since the Unix epoch (unsigned 64 bit, as a long)
     */
    public long wcSeconds() {
        return ((long) wcSecHi() << 32) | Integer.toUnsignedLong(wcSec());
    }

    private int checkPort(final int port) {
        return AbiChecks.checkIndex(STRUCT_NAME, "evtchn_pending", port, NR_PORTS);
    }

    private AtomicBuffer atomic() {
        return SharedWords.atomic(buffer, STRUCT_NAME);
    }

    private int evtchnPendingOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "evtchn_pending", index, EVTCHN_WORDS);
        return offset + EVTCHN_PENDING_OFFSET + index * Integer.BYTES;
    }

    private int evtchnMaskOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "evtchn_mask", index, EVTCHN_WORDS);
        return offset + EVTCHN_MASK_OFFSET + index * Integer.BYTES;
    }
}
