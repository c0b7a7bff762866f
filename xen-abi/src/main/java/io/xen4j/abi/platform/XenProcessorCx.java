package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One C-state of a processor as {@code _CST} describes it, an element of the array
 * {@link XenProcessorPower} points to.
 *
 * <pre>{@code
 * struct xen_processor_cx {
 *     struct xen_power_register  reg; // GAS for Cx trigger register
 *     uint8_t     type;     // cstate value, c0: 0, c1: 1, ...
 *     uint32_t    latency;  // worst latency (ms) to enter/exit this cstate
 *     uint32_t    power;    // average power consumption(mW)
 *     uint32_t    dpcnt;    // number of dependency entries
 *     XEN_GUEST_HANDLE(xen_processor_csd_t) dp; // NULL if no dependency
 * };
 * }</pre>
 */
public final class XenProcessorCx extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_processor_cx";
    /** Offset of {@code reg}. */
    public static final int REG_OFFSET = 0;
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = REG_OFFSET + XenPowerRegister.LENGTH;
    /** Offset of {@code latency}, after 3 bytes of padding: uint32_t is 4-byte aligned. */
    public static final int LATENCY_OFFSET = TYPE_OFFSET + Byte.BYTES + 3;
    /** Offset of {@code power}. */
    public static final int POWER_OFFSET = LATENCY_OFFSET + Integer.BYTES;
    /** Offset of {@code dpcnt}. */
    public static final int DPCNT_OFFSET = POWER_OFFSET + Integer.BYTES;
    /** Offset of {@code dp}. */
    public static final int DP_OFFSET = DPCNT_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_processor_cx)} on x86_64. */
    public static final int LENGTH = 48;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenProcessorCx wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code reg.space_id}: the ACPI address space of the entry register.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int regSpaceId() {
        return buffer.getInt(offset + REG_OFFSET + XenPowerRegister.SPACE_ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code reg.space_id}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx regSpaceId(final int value) {
        buffer.putInt(offset + REG_OFFSET + XenPowerRegister.SPACE_ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code reg.bit_width}: the register width in bits.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int regBitWidth() {
        return buffer.getInt(offset + REG_OFFSET + XenPowerRegister.BIT_WIDTH_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code reg.bit_width}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx regBitWidth(final int value) {
        buffer.putInt(offset + REG_OFFSET + XenPowerRegister.BIT_WIDTH_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code reg.bit_offset}: the bit offset of the value in the register.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int regBitOffset() {
        return buffer.getInt(offset + REG_OFFSET + XenPowerRegister.BIT_OFFSET_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code reg.bit_offset}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx regBitOffset(final int value) {
        buffer.putInt(offset + REG_OFFSET + XenPowerRegister.BIT_OFFSET_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code reg.access_size}: the ACPI access size.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int regAccessSize() {
        return buffer.getInt(offset + REG_OFFSET + XenPowerRegister.ACCESS_SIZE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code reg.access_size}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx regAccessSize(final int value) {
        buffer.putInt(offset + REG_OFFSET + XenPowerRegister.ACCESS_SIZE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code reg.address}: the register address.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long regAddress() {
        return buffer.getLong(offset + REG_OFFSET + XenPowerRegister.ADDRESS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code reg.address}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx regAddress(final long value) {
        buffer.putLong(offset + REG_OFFSET + XenPowerRegister.ADDRESS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code type}: the C-state number: 1 for C1, 2 for C2, ....
     *
     * @return the value, zero-extended
     */
    public int type() {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code type}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx type(final int value) {
        buffer.putByte(offset + TYPE_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code latency}: the worst-case latency to enter and leave the state.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int latency() {
        return buffer.getInt(offset + LATENCY_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code latency}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx latency(final int value) {
        buffer.putInt(offset + LATENCY_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code power}: the average power consumption in mW.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int power() {
        return buffer.getInt(offset + POWER_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code power}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx power(final int value) {
        buffer.putInt(offset + POWER_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dpcnt}: the number of {@code xen_processor_csd} dependency entries.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int dpcnt() {
        return buffer.getInt(offset + DPCNT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code dpcnt}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx dpcnt(final int value) {
        buffer.putInt(offset + DPCNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dp.p}: the guest address of the {@code xen_processor_csd} array, 0 without dependencies.
     *
     * @return the guest virtual address (64-bit)
     */
    public long dp() {
        return buffer.getLong(offset + DP_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code dp.p}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCx dp(final long value) {
        buffer.putLong(offset + DP_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
