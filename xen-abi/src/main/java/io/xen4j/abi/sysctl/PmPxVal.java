package io.xen4j.abi.sysctl;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One P-state's entry in the {@code pt} array of {@link PmPxStat}: its frequency, the time spent
 * in it and how often it was entered.
 *
 * <pre>{@code
 * struct pm_px_val {
 *     uint64_aligned_t freq;        // Px core frequency
 *     uint64_aligned_t residency;   // Px residency time
 *     uint64_aligned_t count;       // Px transition count
 * };
 * }</pre>
 */
public final class PmPxVal extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "pm_px_val";
    /** Offset of {@code freq}. */
    public static final int FREQ_OFFSET = 0;
    /** Offset of {@code residency}. */
    public static final int RESIDENCY_OFFSET = FREQ_OFFSET + Long.BYTES;
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = RESIDENCY_OFFSET + Long.BYTES;
    /** {@code sizeof(struct pm_px_val)}, the stride of the {@code pt} array. */
    public static final int LENGTH = COUNT_OFFSET + Long.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PmPxVal wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code freq}: the core frequency of the P-state, in MHz as {@code _PSS} gives it.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long freq() {
        return buffer.getLong(offset + FREQ_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code freq}.
     *
     * @param value the value
     * @return this
     */
    public PmPxVal freq(final long value) {
        buffer.putLong(offset + FREQ_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code residency}: nanoseconds of Xen system time spent in the P-state.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long residency() {
        return buffer.getLong(offset + RESIDENCY_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code residency}.
     *
     * @param value the value
     * @return this
     */
    public PmPxVal residency(final long value) {
        buffer.putLong(offset + RESIDENCY_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code count}: how many times the CPU entered the P-state.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long count() {
        return buffer.getLong(offset + COUNT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code count}.
     *
     * @param value the value
     * @return this
     */
    public PmPxVal count(final long value) {
        buffer.putLong(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
