package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * An ACPI generic address (GAS) of a C-state entry register: where and how wide the register is
 * that {@code _CST} names.
 *
 * <pre>{@code
 * struct xen_power_register {
 *     uint32_t     space_id;
 *     uint32_t     bit_width;
 *     uint32_t     bit_offset;
 *     uint32_t     access_size;
 *     uint64_t     address;
 * };
 * }</pre>
 */
public final class XenPowerRegister extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_power_register";
    /** Offset of {@code space_id}. */
    public static final int SPACE_ID_OFFSET = 0;
    /** Offset of {@code bit_width}. */
    public static final int BIT_WIDTH_OFFSET = SPACE_ID_OFFSET + Integer.BYTES;
    /** Offset of {@code bit_offset}. */
    public static final int BIT_OFFSET_OFFSET = BIT_WIDTH_OFFSET + Integer.BYTES;
    /** Offset of {@code access_size}. */
    public static final int ACCESS_SIZE_OFFSET = BIT_OFFSET_OFFSET + Integer.BYTES;
    /** Offset of {@code address}. */
    public static final int ADDRESS_OFFSET = ACCESS_SIZE_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_power_register)} on x86_64. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenPowerRegister wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code space_id}: the ACPI address space (system memory, system I/O, functional fixed hardware).
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int spaceId() {
        return buffer.getInt(offset + SPACE_ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code space_id}.
     *
     * @param value the value
     * @return this
     */
    public XenPowerRegister spaceId(final int value) {
        buffer.putInt(offset + SPACE_ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code bit_width}: the register width in bits.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int bitWidth() {
        return buffer.getInt(offset + BIT_WIDTH_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code bit_width}.
     *
     * @param value the value
     * @return this
     */
    public XenPowerRegister bitWidth(final int value) {
        buffer.putInt(offset + BIT_WIDTH_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code bit_offset}: the bit offset of the value in the register.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int bitOffset() {
        return buffer.getInt(offset + BIT_OFFSET_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code bit_offset}.
     *
     * @param value the value
     * @return this
     */
    public XenPowerRegister bitOffset(final int value) {
        buffer.putInt(offset + BIT_OFFSET_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code access_size}: the ACPI access size.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int accessSize() {
        return buffer.getInt(offset + ACCESS_SIZE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code access_size}.
     *
     * @param value the value
     * @return this
     */
    public XenPowerRegister accessSize(final int value) {
        buffer.putInt(offset + ACCESS_SIZE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code address}: the register address.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long address() {
        return buffer.getLong(offset + ADDRESS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code address}.
     *
     * @param value the value
     * @return this
     */
    public XenPowerRegister address(final long value) {
        buffer.putLong(offset + ADDRESS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
