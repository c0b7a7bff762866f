package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code XENPF_set_processor_pminfo}: the ACPI power-management data of one processor,
 * which dom0 parses from ACPI and uploads because Xen, not dom0, drives the processors. {@code type}
 * picks the member of {@code u}: {@link #power()} for {@code XEN_PM_CX}, {@link #perf()} for
 * {@code XEN_PM_PX}, {@link #pdc()} for {@code XEN_PM_PDC}. The accessors of this class reach the
 * scalar members of each variant; the views reach every member.
 *
 * <pre>{@code
 * struct xenpf_set_processor_pminfo {
 *     // IN variables
 *     uint32_t id;    // ACPI CPU ID
 *     uint32_t type;  // {XEN_PM_CX, XEN_PM_PX}
 *     union {
 *         struct xen_processor_power          power;// Cx: _CST/_CSD
 *         struct xen_processor_performance    perf; // Px: _PPC/_PCT/_PSS/_PSD
 *         XEN_GUEST_HANDLE(uint32)            pdc;  // _PDC
 *     } u;
 * };
 * }</pre>
 */
public final class XenpfSetProcessorPminfo extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xenpf_set_processor_pminfo";
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = ID_OFFSET + Integer.BYTES;
    /** Offset of {@code u}: 8-byte aligned, as its guest handles and 64-bit members need. */
    public static final int U_OFFSET = TYPE_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xenpf_set_processor_pminfo)} on x86_64: {@code u} is as long as {@code perf}. */
    public static final int LENGTH = 112;

    private final XenProcessorPower power = new XenProcessorPower();
    private final XenProcessorPerformance perf = new XenProcessorPerformance();

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenpfSetProcessorPminfo wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code id}: the ACPI processor id.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int id() {
        return buffer.getInt(offset + ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code id}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo id(final int value) {
        buffer.putInt(offset + ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code type}: the variant of {@code u}, a {@code XEN_PM_*}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int type() {
        return buffer.getInt(offset + TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code type}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo type(final int value) {
        buffer.putInt(offset + TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.power.count}: the number of C-state entries.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int powerCount() {
        return buffer.getInt(offset + U_OFFSET + XenProcessorPower.COUNT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.power.count}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo powerCount(final int value) {
        buffer.putInt(offset + U_OFFSET + XenProcessorPower.COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.power.flags}: the {@code xen_processor_flags} bit-field word, {@code XEN_PROCESSOR_FLAG_*} bits.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int powerFlags() {
        return buffer.getInt(offset + U_OFFSET + XenProcessorPower.FLAGS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.power.flags}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo powerFlags(final int value) {
        buffer.putInt(offset + U_OFFSET + XenProcessorPower.FLAGS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.power.states.p}: the guest address of the {@code xen_processor_cx} array.
     *
     * @return the guest virtual address (64-bit)
     */
    public long powerStates() {
        return buffer.getLong(offset + U_OFFSET + XenProcessorPower.STATES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.power.states.p}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo powerStates(final long value) {
        buffer.putLong(offset + U_OFFSET + XenProcessorPower.STATES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.perf.flags}: the {@code XEN_PX_*} bits.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int perfFlags() {
        return buffer.getInt(offset + U_OFFSET + XenProcessorPerformance.FLAGS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.perf.flags}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo perfFlags(final int value) {
        buffer.putInt(offset + U_OFFSET + XenProcessorPerformance.FLAGS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.perf.platform_limit}: the {@code _PPC} limit.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int perfPlatformLimit() {
        return buffer.getInt(offset + U_OFFSET + XenProcessorPerformance.PLATFORM_LIMIT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.perf.platform_limit}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo perfPlatformLimit(final int value) {
        buffer.putInt(offset + U_OFFSET + XenProcessorPerformance.PLATFORM_LIMIT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.perf.state_count}: the number of P-states.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int perfStateCount() {
        return buffer.getInt(offset + U_OFFSET + XenProcessorPerformance.STATE_COUNT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.perf.state_count}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo perfStateCount(final int value) {
        buffer.putInt(offset + U_OFFSET + XenProcessorPerformance.STATE_COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.perf.states.p}: the guest address of the {@code xen_processor_px} array.
     *
     * @return the guest virtual address (64-bit)
     */
    public long perfStates() {
        return buffer.getLong(offset + U_OFFSET + XenProcessorPerformance.STATES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.perf.states.p}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo perfStates(final long value) {
        buffer.putLong(offset + U_OFFSET + XenProcessorPerformance.STATES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.perf.shared_type}: the coordination type, a {@code XEN_CPUPERF_SHARED_TYPE_*}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int perfSharedType() {
        return buffer.getInt(offset + U_OFFSET + XenProcessorPerformance.SHARED_TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.perf.shared_type}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo perfSharedType(final int value) {
        buffer.putInt(offset + U_OFFSET + XenProcessorPerformance.SHARED_TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.pdc.p}: the guest address of the {@code _PDC} buffer of uint32 words.
     *
     * @return the guest virtual address (64-bit)
     */
    public long pdc() {
        return buffer.getLong(offset + U_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.pdc.p}.
     *
     * @param value the value
     * @return this
     */
    public XenpfSetProcessorPminfo pdc(final long value) {
        buffer.putLong(offset + U_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * The {@code u.power} member ({@code type == XEN_PM_CX}), a flyweight over this structure's
     * bytes. The view is owned by this flyweight: it follows the next call, not later re-wraps of
     * this flyweight.
     *
     * @return the view, wrapped at {@code offset() + U_OFFSET}
     */
    public XenProcessorPower power() {
        return power.wrap(buffer, offset + U_OFFSET);
    }

    /**
     * The {@code u.perf} member ({@code type == XEN_PM_PX}), a flyweight over this structure's
     * bytes. The view is owned by this flyweight: it follows the next call, not later re-wraps of
     * this flyweight.
     *
     * @return the view, wrapped at {@code offset() + U_OFFSET}
     */
    public XenProcessorPerformance perf() {
        return perf.wrap(buffer, offset + U_OFFSET);
    }
}
