package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * An ACPI register descriptor of {@code _PCT}: the performance control or status register.
 *
 * <pre>{@code
 * struct xen_pct_register {
 *     uint8_t  descriptor;
 *     uint16_t length;
 *     uint8_t  space_id;
 *     uint8_t  bit_width;
 *     uint8_t  bit_offset;
 *     uint8_t  reserved;
 *     uint64_t address;
 * };
 * }</pre>
 */
public final class XenPctRegister extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_pct_register";
    /** Offset of {@code descriptor}. */
    public static final int DESCRIPTOR_OFFSET = 0;
    /** Offset of {@code length}, after 1 byte of padding: uint16_t is 2-byte aligned. */
    public static final int LENGTH_OFFSET = DESCRIPTOR_OFFSET + Byte.BYTES + 1;
    /** Offset of {@code space_id}. */
    public static final int SPACE_ID_OFFSET = LENGTH_OFFSET + Short.BYTES;
    /** Offset of {@code bit_width}. */
    public static final int BIT_WIDTH_OFFSET = SPACE_ID_OFFSET + Byte.BYTES;
    /** Offset of {@code bit_offset}. */
    public static final int BIT_OFFSET_OFFSET = BIT_WIDTH_OFFSET + Byte.BYTES;
    /** Offset of {@code reserved}. */
    public static final int RESERVED_OFFSET = BIT_OFFSET_OFFSET + Byte.BYTES;
    /** Offset of {@code address}. */
    public static final int ADDRESS_OFFSET = RESERVED_OFFSET + Byte.BYTES;
    /** {@code sizeof(struct xen_pct_register)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenPctRegister wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code descriptor}: the ACPI resource descriptor type.
     *
     * @return the value, zero-extended
     */
    public int descriptor() {
        return buffer.getByte(offset + DESCRIPTOR_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code descriptor}.
     *
     * @param value the value
     * @return this
     */
    public XenPctRegister descriptor(final int value) {
        buffer.putByte(offset + DESCRIPTOR_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code length}: the descriptor length.
     *
     * @return the value, zero-extended
     */
    public int descriptorLength() {
        return buffer.getShort(offset + LENGTH_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code length}.
     *
     * @param value the value
     * @return this
     */
    public XenPctRegister descriptorLength(final int value) {
        buffer.putShort(offset + LENGTH_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code space_id}: the ACPI address space.
     *
     * @return the value, zero-extended
     */
    public int spaceId() {
        return buffer.getByte(offset + SPACE_ID_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code space_id}.
     *
     * @param value the value
     * @return this
     */
    public XenPctRegister spaceId(final int value) {
        buffer.putByte(offset + SPACE_ID_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code bit_width}: the register width in bits.
     *
     * @return the value, zero-extended
     */
    public int bitWidth() {
        return buffer.getByte(offset + BIT_WIDTH_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code bit_width}.
     *
     * @param value the value
     * @return this
     */
    public XenPctRegister bitWidth(final int value) {
        buffer.putByte(offset + BIT_WIDTH_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code bit_offset}: the bit offset of the value in the register.
     *
     * @return the value, zero-extended
     */
    public int bitOffset() {
        return buffer.getByte(offset + BIT_OFFSET_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code bit_offset}.
     *
     * @param value the value
     * @return this
     */
    public XenPctRegister bitOffset(final int value) {
        buffer.putByte(offset + BIT_OFFSET_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code reserved}: reserved.
     *
     * @return the value, zero-extended
     */
    public int reserved() {
        return buffer.getByte(offset + RESERVED_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code reserved}.
     *
     * @param value the value
     * @return this
     */
    public XenPctRegister reserved(final int value) {
        buffer.putByte(offset + RESERVED_OFFSET, (byte) value);
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
    public XenPctRegister address(final long value) {
        buffer.putLong(offset + ADDRESS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
