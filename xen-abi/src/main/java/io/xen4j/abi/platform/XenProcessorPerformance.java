package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The P-state information of a processor ({@code XEN_PM_PX}): which parts are present
 * ({@code XEN_PX_*} bits of {@code flags}), {@code _PPC}, {@code _PCT}, a guest handle to the
 * {@code _PSS} array of {@link XenProcessorPx}, {@code _PSD} and the coordination type.
 *
 * <pre>{@code
 * struct xen_processor_performance {
 *     uint32_t flags;     // flag for Px sub info type
 *     uint32_t platform_limit;  // Platform limitation on freq usage
 *     struct xen_pct_register control_register;
 *     struct xen_pct_register status_register;
 *     uint32_t state_count;     // total available performance states
 *     XEN_GUEST_HANDLE(xen_processor_px_t) states;
 *     struct xen_psd_package domain_info;
 *     // Coordination type of this processor
 * #define XEN_CPUPERF_SHARED_TYPE_HW   1 // HW does needed coordination
 * #define XEN_CPUPERF_SHARED_TYPE_ALL  2 // All dependent CPUs should set freq
 * #define XEN_CPUPERF_SHARED_TYPE_ANY  3 // Freq can be set from any dependent CPU
 *     uint32_t shared_type;
 * };
 * }</pre>
 */
public final class XenProcessorPerformance extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_processor_performance";
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of {@code platform_limit}. */
    public static final int PLATFORM_LIMIT_OFFSET = FLAGS_OFFSET + Integer.BYTES;
    /** Offset of {@code control_register}. */
    public static final int CONTROL_REGISTER_OFFSET = PLATFORM_LIMIT_OFFSET + Integer.BYTES;
    /** Offset of {@code status_register}. */
    public static final int STATUS_REGISTER_OFFSET = CONTROL_REGISTER_OFFSET + XenPctRegister.LENGTH;
    /** Offset of {@code state_count}. */
    public static final int STATE_COUNT_OFFSET = STATUS_REGISTER_OFFSET + XenPctRegister.LENGTH;
    /** Offset of {@code states}, after 4 bytes of padding: the guest handle is 8-byte aligned. */
    public static final int STATES_OFFSET = STATE_COUNT_OFFSET + Integer.BYTES + 4;
    /** Offset of {@code domain_info}. */
    public static final int DOMAIN_INFO_OFFSET = STATES_OFFSET + Long.BYTES;
    /** Offset of {@code shared_type}. */
    public static final int SHARED_TYPE_OFFSET = DOMAIN_INFO_OFFSET + XenPsdPackage.LENGTH;
    /** {@code sizeof(struct xen_processor_performance)} on x86_64, 4 bytes of tail padding included. */
    public static final int LENGTH = 104;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenProcessorPerformance wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code flags}: the {@code XEN_PX_*} bits: which of the parts below are valid.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
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
    public XenProcessorPerformance flags(final int value) {
        buffer.putInt(offset + FLAGS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code platform_limit}: the {@code _PPC} limit: the highest P-state index the platform allows.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int platformLimit() {
        return buffer.getInt(offset + PLATFORM_LIMIT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code platform_limit}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance platformLimit(final int value) {
        buffer.putInt(offset + PLATFORM_LIMIT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code control_register.descriptor}: the ACPI resource descriptor type of the control register.
     *
     * @return the value, zero-extended
     */
    public int controlRegisterDescriptor() {
        return buffer.getByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.DESCRIPTOR_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code control_register.descriptor}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance controlRegisterDescriptor(final int value) {
        buffer.putByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.DESCRIPTOR_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code control_register.length}: the descriptor length of the control register.
     *
     * @return the value, zero-extended
     */
    public int controlRegisterLength() {
        final int at = offset + CONTROL_REGISTER_OFFSET + XenPctRegister.LENGTH_OFFSET;
        return buffer.getShort(at, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code control_register.length}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance controlRegisterLength(final int value) {
        buffer.putShort(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.LENGTH_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code control_register.space_id}: the ACPI address space of the control register.
     *
     * @return the value, zero-extended
     */
    public int controlRegisterSpaceId() {
        return buffer.getByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.SPACE_ID_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code control_register.space_id}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance controlRegisterSpaceId(final int value) {
        buffer.putByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.SPACE_ID_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code control_register.bit_width}: the width of the control register in bits.
     *
     * @return the value, zero-extended
     */
    public int controlRegisterBitWidth() {
        return buffer.getByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.BIT_WIDTH_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code control_register.bit_width}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance controlRegisterBitWidth(final int value) {
        buffer.putByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.BIT_WIDTH_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code control_register.bit_offset}: the bit offset of the value in the control register.
     *
     * @return the value, zero-extended
     */
    public int controlRegisterBitOffset() {
        return buffer.getByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.BIT_OFFSET_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code control_register.bit_offset}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance controlRegisterBitOffset(final int value) {
        buffer.putByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.BIT_OFFSET_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code control_register.reserved}: reserved byte of the control register descriptor.
     *
     * @return the value, zero-extended
     */
    public int controlRegisterReserved() {
        return buffer.getByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.RESERVED_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code control_register.reserved}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance controlRegisterReserved(final int value) {
        buffer.putByte(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.RESERVED_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code control_register.address}: the address of the control register.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long controlRegisterAddress() {
        return buffer.getLong(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.ADDRESS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code control_register.address}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance controlRegisterAddress(final long value) {
        buffer.putLong(offset + CONTROL_REGISTER_OFFSET + XenPctRegister.ADDRESS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status_register.descriptor}: the ACPI resource descriptor type of the status register.
     *
     * @return the value, zero-extended
     */
    public int statusRegisterDescriptor() {
        return buffer.getByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.DESCRIPTOR_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code status_register.descriptor}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance statusRegisterDescriptor(final int value) {
        buffer.putByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.DESCRIPTOR_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code status_register.length}: the descriptor length of the status register.
     *
     * @return the value, zero-extended
     */
    public int statusRegisterLength() {
        final int at = offset + STATUS_REGISTER_OFFSET + XenPctRegister.LENGTH_OFFSET;
        return buffer.getShort(at, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code status_register.length}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance statusRegisterLength(final int value) {
        buffer.putShort(offset + STATUS_REGISTER_OFFSET + XenPctRegister.LENGTH_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status_register.space_id}: the ACPI address space of the status register.
     *
     * @return the value, zero-extended
     */
    public int statusRegisterSpaceId() {
        return buffer.getByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.SPACE_ID_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code status_register.space_id}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance statusRegisterSpaceId(final int value) {
        buffer.putByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.SPACE_ID_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code status_register.bit_width}: the width of the status register in bits.
     *
     * @return the value, zero-extended
     */
    public int statusRegisterBitWidth() {
        return buffer.getByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.BIT_WIDTH_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code status_register.bit_width}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance statusRegisterBitWidth(final int value) {
        buffer.putByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.BIT_WIDTH_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code status_register.bit_offset}: the bit offset of the value in the status register.
     *
     * @return the value, zero-extended
     */
    public int statusRegisterBitOffset() {
        return buffer.getByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.BIT_OFFSET_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code status_register.bit_offset}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance statusRegisterBitOffset(final int value) {
        buffer.putByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.BIT_OFFSET_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code status_register.reserved}: reserved byte of the status register descriptor.
     *
     * @return the value, zero-extended
     */
    public int statusRegisterReserved() {
        return buffer.getByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.RESERVED_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code status_register.reserved}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance statusRegisterReserved(final int value) {
        buffer.putByte(offset + STATUS_REGISTER_OFFSET + XenPctRegister.RESERVED_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code status_register.address}: the address of the status register.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long statusRegisterAddress() {
        return buffer.getLong(offset + STATUS_REGISTER_OFFSET + XenPctRegister.ADDRESS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code status_register.address}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance statusRegisterAddress(final long value) {
        buffer.putLong(offset + STATUS_REGISTER_OFFSET + XenPctRegister.ADDRESS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code state_count}: the number of P-states in the {@code states} array.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int stateCount() {
        return buffer.getInt(offset + STATE_COUNT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code state_count}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance stateCount(final int value) {
        buffer.putInt(offset + STATE_COUNT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code states.p}: the guest address of the {@code xen_processor_px} array.
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
    public XenProcessorPerformance states(final long value) {
        buffer.putLong(offset + STATES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domain_info.num_entries}: the number of entries of the {@code _PSD} package.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long domainInfoNumEntries() {
        return buffer.getLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.NUM_ENTRIES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domain_info.num_entries}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance domainInfoNumEntries(final long value) {
        buffer.putLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.NUM_ENTRIES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domain_info.revision}: the {@code _PSD} revision.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long domainInfoRevision() {
        return buffer.getLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.REVISION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domain_info.revision}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance domainInfoRevision(final long value) {
        buffer.putLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.REVISION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domain_info.domain}: the dependency domain number.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long domainInfoDomain() {
        return buffer.getLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.DOMAIN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domain_info.domain}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance domainInfoDomain(final long value) {
        buffer.putLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.DOMAIN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domain_info.coord_type}: the {@code _PSD} coordination type.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long domainInfoCoordType() {
        return buffer.getLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.COORD_TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domain_info.coord_type}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance domainInfoCoordType(final long value) {
        buffer.putLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.COORD_TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domain_info.num_processors}: the number of processors in the dependency domain.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long domainInfoNumProcessors() {
        return buffer.getLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.NUM_PROCESSORS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domain_info.num_processors}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance domainInfoNumProcessors(final long value) {
        buffer.putLong(offset + DOMAIN_INFO_OFFSET + XenPsdPackage.NUM_PROCESSORS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code shared_type}: the coordination type, a {@code XEN_CPUPERF_SHARED_TYPE_*}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int sharedType() {
        return buffer.getInt(offset + SHARED_TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code shared_type}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorPerformance sharedType(final int value) {
        buffer.putInt(offset + SHARED_TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
