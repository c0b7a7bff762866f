package io.xen4j.abi.sysctl;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * {@code u.getcx} of {@link XenSysctlGetPmstat}: a physical CPU's C-state statistics. For
 * {@code PMSTAT_get_max_cx} Xen fills {@code nr} only. For {@code PMSTAT_get_cxstat} {@code nr},
 * {@code nr_pc} and {@code nr_cc} are IN (the sizes of the arrays) and OUT (the entries written):
 * {@code triggers} and {@code residencies} get one {@code uint64} per C-state, C0 first;
 * {@code pc} and {@code cc} get the hardware package and core residency counters, 1-biased (PC1 at
 * index 0), and Xen writes only the slots with a register behind them, so the caller fills them
 * with a sentinel first.
 *
 * <pre>{@code
 * struct pm_cx_stat {
 *     uint32_t nr;    // entry nr in triggers & residencies, including C0
 *     uint32_t last;  // last Cx state
 *     uint64_aligned_t idle_time;                 // idle time from boot
 *     XEN_GUEST_HANDLE_64(uint64) triggers;    // Cx trigger counts
 *     XEN_GUEST_HANDLE_64(uint64) residencies; // Cx residencies
 *     uint32_t nr_pc;                          // entry nr in pc[]
 *     uint32_t nr_cc;                          // entry nr in cc[]
 *     XEN_GUEST_HANDLE_64(uint64) pc;
 *     XEN_GUEST_HANDLE_64(uint64) cc;
 * };
 * }</pre>
 */
public final class PmCxStat extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "pm_cx_stat";
    /** Offset of {@code nr}. */
    public static final int NR_OFFSET = 0;
    /** Offset of {@code last}. */
    public static final int LAST_OFFSET = NR_OFFSET + Integer.BYTES;
    /** Offset of {@code idle_time}. */
    public static final int IDLE_TIME_OFFSET = LAST_OFFSET + Integer.BYTES;
    /** Offset of {@code triggers.p}. */
    public static final int TRIGGERS_OFFSET = IDLE_TIME_OFFSET + Long.BYTES;
    /** Offset of {@code residencies.p}. */
    public static final int RESIDENCIES_OFFSET = TRIGGERS_OFFSET + Long.BYTES;
    /** Offset of {@code nr_pc}. */
    public static final int NR_PC_OFFSET = RESIDENCIES_OFFSET + Long.BYTES;
    /** Offset of {@code nr_cc}. */
    public static final int NR_CC_OFFSET = NR_PC_OFFSET + Integer.BYTES;
    /** Offset of {@code pc.p}. */
    public static final int PC_OFFSET = NR_CC_OFFSET + Integer.BYTES;
    /** Offset of {@code cc.p}. */
    public static final int CC_OFFSET = PC_OFFSET + Long.BYTES;
    /** {@code sizeof(struct pm_cx_stat)}. */
    public static final int LENGTH = CC_OFFSET + Long.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PmCxStat wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code nr}: IN the length of {@code triggers} and {@code residencies}, OUT the C-states
     * reported, C0 included.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int nr() {
        return buffer.getInt(offset + NR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code nr}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat nr(final int value) {
        buffer.putInt(offset + NR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code last}: the C-state the CPU was last in.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int last() {
        return buffer.getInt(offset + LAST_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code last}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat last(final int value) {
        buffer.putInt(offset + LAST_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code idle_time}: nanoseconds of Xen system time the CPU has been idle since boot.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long idleTime() {
        return buffer.getLong(offset + IDLE_TIME_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code idle_time}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat idleTime(final long value) {
        buffer.putLong(offset + IDLE_TIME_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code triggers.p}: the guest address of the {@code nr} entry counts.
     *
     * @return the guest virtual address (64-bit)
     */
    public long triggers() {
        return buffer.getLong(offset + TRIGGERS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code triggers.p}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat triggers(final long value) {
        buffer.putLong(offset + TRIGGERS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code residencies.p}: the guest address of the {@code nr} residencies in nanoseconds.
     *
     * @return the guest virtual address (64-bit)
     */
    public long residencies() {
        return buffer.getLong(offset + RESIDENCIES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code residencies.p}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat residencies(final long value) {
        buffer.putLong(offset + RESIDENCIES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code nr_pc}: IN the length of {@code pc}, OUT the highest package C-state with a
     * non-zero counter.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int nrPc() {
        return buffer.getInt(offset + NR_PC_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code nr_pc}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat nrPc(final int value) {
        buffer.putInt(offset + NR_PC_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code nr_cc}: IN the length of {@code cc}, OUT the highest core C-state with a
     * non-zero counter.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int nrCc() {
        return buffer.getInt(offset + NR_CC_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code nr_cc}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat nrCc(final int value) {
        buffer.putInt(offset + NR_CC_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code pc.p}: the guest address of the package C-state residency counters.
     *
     * @return the guest virtual address (64-bit)
     */
    public long pc() {
        return buffer.getLong(offset + PC_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code pc.p}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat pc(final long value) {
        buffer.putLong(offset + PC_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code cc.p}: the guest address of the core C-state residency counters.
     *
     * @return the guest virtual address (64-bit)
     */
    public long cc() {
        return buffer.getLong(offset + CC_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code cc.p}.
     *
     * @param value the value
     * @return this
     */
    public PmCxStat cc(final long value) {
        buffer.putLong(offset + CC_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
