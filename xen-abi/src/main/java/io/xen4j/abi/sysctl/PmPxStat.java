package io.xen4j.abi.sysctl;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * {@code u.getpx} of {@link XenSysctlGetPmstat}: a physical CPU's P-state statistics. For
 * {@code PMSTAT_get_max_px} Xen fills {@code total} only; for {@code PMSTAT_get_pxstat} it fills
 * the four counts and writes {@code total * total} transition counts to {@code trans_pt} (row: the
 * state left, column: the state entered) and {@code total} {@link PmPxVal}s to {@code pt}. Xen
 * copies as many entries as it has states whatever the caller allocated, so the arrays must be
 * sized from a {@code PMSTAT_get_max_px} answer first, as libxc's {@code xc_pm_get_pxstat} does.
 *
 * <pre>{@code
 * struct pm_px_stat {
 *     uint8_t total;        // total Px states
 *     uint8_t usable;       // usable Px states
 *     uint8_t last;         // last Px state
 *     uint8_t cur;          // current Px state
 *     XEN_GUEST_HANDLE_64(uint64) trans_pt;   // Px transition table
 *     XEN_GUEST_HANDLE_64(pm_px_val_t) pt;
 * };
 * }</pre>
 */
public final class PmPxStat extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "pm_px_stat";
    /** Offset of {@code total}. */
    public static final int TOTAL_OFFSET = 0;
    /** Offset of {@code usable}. */
    public static final int USABLE_OFFSET = TOTAL_OFFSET + Byte.BYTES;
    /** Offset of {@code last}. */
    public static final int LAST_OFFSET = USABLE_OFFSET + Byte.BYTES;
    /** Offset of {@code cur}. */
    public static final int CUR_OFFSET = LAST_OFFSET + Byte.BYTES;
    /** Offset of {@code trans_pt.p}: 64-bit handles are 8-byte aligned, so 4 bytes of padding precede it. */
    public static final int TRANS_PT_OFFSET = CUR_OFFSET + Byte.BYTES + Integer.BYTES;
    /** Offset of {@code pt.p}. */
    public static final int PT_OFFSET = TRANS_PT_OFFSET + Long.BYTES;
    /** {@code sizeof(struct pm_px_stat)}. */
    public static final int LENGTH = PT_OFFSET + Long.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PmPxStat wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code total}: the number of P-states.
     *
     * @return the value, zero-extended
     */
    public int total() {
        return buffer.getByte(offset + TOTAL_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code total}.
     *
     * @param value the value, 0..255
     * @return this
     */
    public PmPxStat total(final int value) {
        buffer.putByte(offset + TOTAL_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code usable}: the P-states the platform allows now ({@code total} minus {@code _PPC}).
     *
     * @return the value, zero-extended
     */
    public int usable() {
        return buffer.getByte(offset + USABLE_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code usable}.
     *
     * @param value the value, 0..255
     * @return this
     */
    public PmPxStat usable(final int value) {
        buffer.putByte(offset + USABLE_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code last}: the P-state before the current one.
     *
     * @return the value, zero-extended
     */
    public int last() {
        return buffer.getByte(offset + LAST_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code last}.
     *
     * @param value the value, 0..255
     * @return this
     */
    public PmPxStat last(final int value) {
        buffer.putByte(offset + LAST_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code cur}: the current P-state.
     *
     * @return the value, zero-extended
     */
    public int cur() {
        return buffer.getByte(offset + CUR_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code cur}.
     *
     * @param value the value, 0..255
     * @return this
     */
    public PmPxStat cur(final int value) {
        buffer.putByte(offset + CUR_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code trans_pt.p}: the guest address of the {@code total * total} {@code uint64}
     * transition counts.
     *
     * @return the guest virtual address (64-bit)
     */
    public long transPt() {
        return buffer.getLong(offset + TRANS_PT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code trans_pt.p}.
     *
     * @param value the value
     * @return this
     */
    public PmPxStat transPt(final long value) {
        buffer.putLong(offset + TRANS_PT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code pt.p}: the guest address of the {@code total} {@link PmPxVal} entries.
     *
     * @return the guest virtual address (64-bit)
     */
    public long pt() {
        return buffer.getLong(offset + PT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code pt.p}.
     *
     * @param value the value
     * @return this
     */
    public PmPxStat pt(final long value) {
        buffer.putLong(offset + PT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
