package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The C-states of a processor ({@code XEN_PM_CX}): their number, the processor's flags and a guest
 * handle to the {@link XenProcessorCx} array.
 *
 * <p>{@code flags} is a structure of C bit-fields, which have no offsets of their own: Java reads and
 * writes it as one 32-bit word whose bits are the {@code XEN_PROCESSOR_FLAG_*} masks of {@link Xenpf}
 * (the x86 ABIs allocate bit-fields from the least significant bit up; the spec checks each mask
 * against gcc).
 *
 * <pre>{@code
 * struct xen_processor_flags {
 *     uint32_t bm_control:1;
 *     uint32_t bm_check:1;
 *     uint32_t has_cst:1;
 *     uint32_t power_setup_done:1;
 *     uint32_t bm_rld_set:1;
 * };
 *
 * struct xen_processor_power {
 *     uint32_t count;  // number of C state entries in array below
 *     struct xen_processor_flags flags;  // global flags of this processor
 *     XEN_GUEST_HANDLE(xen_processor_cx_t) states; // supported c states
 * };
 * }</pre>
 */
public final class XenProcessorPower extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_processor_power";
    /** Offset of {@code count}. */
    public static final int COUNT_OFFSET = 0;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** Offset of {@code states}. */
    public static final int STATES_OFFSET = FLAGS_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_processor_power)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenProcessorPower wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code count}: the number of C-state entries.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int count() {
        return buffer.getInt(offset + COUNT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code count}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPower count(final int value) {
        buffer.putInt(offset + COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: the {@code xen_processor_flags} bit-field word, {@code XEN_PROCESSOR_FLAG_*} bits.
     *
     * @return the bit-field word: unsigned 32-bit, as the raw bits of an int
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
    public XenProcessorPower flags(final int value) {
        buffer.putInt(offset + FLAGS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code states.p}: the guest address of the {@code xen_processor_cx} array.
     *
     * @return the guest virtual address (64-bit)
     */
    public long states() {
        return buffer.getLong(offset + STATES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code states.p}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPower states(final long value) {
        buffer.putLong(offset + STATES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
