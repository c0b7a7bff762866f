package io.xen4j.acpi;

/**
 * A P-state control or status register ({@code struct xen_pct_register}, from ACPI {@code _PCT}).
 *
 * @param descriptor the ACPI resource descriptor, {@code 0x82} (generic register)
 * @param length     the descriptor's length, 12 for a generic register
 * @param spaceId    address space: 1 system I/O, {@code 0x7F} functional fixed hardware (MSRs)
 * @param bitWidth   width in bits
 * @param bitOffset  bit offset
 * @param address    the address
 */
public record PctRegister(int descriptor, int length, int spaceId, int bitWidth, int bitOffset, long address) {
    /** ACPI's generic register descriptor. */
    public static final int GENERIC_REGISTER = 0x82;
    /** A functional-fixed-hardware register, as Intel and AMD firmware describe MSR-based P-states. */
    public static final PctRegister FIXED_HARDWARE = new PctRegister(GENERIC_REGISTER, 12, 0x7F, 0, 0, 0);

    /**
     * Checks the fields fit their C types.
     *
     * @param descriptor descriptor
     * @param length     length
     * @param spaceId    space
     * @param bitWidth   width
     * @param bitOffset  offset
     * @param address    address
     */
    public PctRegister {
        Checks.u8("descriptor", descriptor);
        Checks.u16("length", length);
        Checks.u8("spaceId", spaceId);
        Checks.u8("bitWidth", bitWidth);
        Checks.u8("bitOffset", bitOffset);
    }
}
