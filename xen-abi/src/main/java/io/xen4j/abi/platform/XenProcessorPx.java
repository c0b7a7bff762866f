package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One performance state (P-state) of {@code _PSS}, an element of the array
 * {@link XenProcessorPerformance} points to.
 *
 * <pre>{@code
 * struct xen_processor_px {
 *     uint64_t core_frequency; // megahertz
 *     uint64_t power;      // milliWatts
 *     uint64_t transition_latency; // microseconds
 *     uint64_t bus_master_latency; // microseconds
 *     uint64_t control;        // control value
 *     uint64_t status;     // success indicator
 * };
 * }</pre>
 */
public final class XenProcessorPx extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_processor_px";
    /** Offset of {@code core_frequency}. */
    public static final int CORE_FREQUENCY_OFFSET = 0;
    /** Offset of {@code power}. */
    public static final int POWER_OFFSET = CORE_FREQUENCY_OFFSET + Long.BYTES;
    /** Offset of {@code transition_latency}. */
    public static final int TRANSITION_LATENCY_OFFSET = POWER_OFFSET + Long.BYTES;
    /** Offset of {@code bus_master_latency}. */
    public static final int BUS_MASTER_LATENCY_OFFSET = TRANSITION_LATENCY_OFFSET + Long.BYTES;
    /** Offset of {@code control}. */
    public static final int CONTROL_OFFSET = BUS_MASTER_LATENCY_OFFSET + Long.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = CONTROL_OFFSET + Long.BYTES;
    /** {@code sizeof(struct xen_processor_px)} on x86_64. */
    public static final int LENGTH = 48;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenProcessorPx wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code core_frequency}: the core frequency in MHz.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long coreFrequency() {
        return buffer.getLong(offset + CORE_FREQUENCY_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code core_frequency}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPx coreFrequency(final long value) {
        buffer.putLong(offset + CORE_FREQUENCY_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code power}: the power dissipation in mW.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long power() {
        return buffer.getLong(offset + POWER_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code power}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPx power(final long value) {
        buffer.putLong(offset + POWER_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code transition_latency}: the worst-case latency to switch to this state in microseconds.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long transitionLatency() {
        return buffer.getLong(offset + TRANSITION_LATENCY_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code transition_latency}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPx transitionLatency(final long value) {
        buffer.putLong(offset + TRANSITION_LATENCY_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code bus_master_latency}: the bus-master blocking latency in microseconds.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long busMasterLatency() {
        return buffer.getLong(offset + BUS_MASTER_LATENCY_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code bus_master_latency}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPx busMasterLatency(final long value) {
        buffer.putLong(offset + BUS_MASTER_LATENCY_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code control}: the value to write to the control register.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long control() {
        return buffer.getLong(offset + CONTROL_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code control}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPx control(final long value) {
        buffer.putLong(offset + CONTROL_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: the value the status register reads in this state.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long status() {
        return buffer.getLong(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code status}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPx status(final long value) {
        buffer.putLong(offset + STATUS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
