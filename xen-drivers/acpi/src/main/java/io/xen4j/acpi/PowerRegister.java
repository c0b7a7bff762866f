package io.xen4j.acpi;

/**
 * A C-state's entry register ({@code struct xen_power_register}, from ACPI {@code _CST}'s
 * generic address).
 *
 * @param spaceId    ACPI address space: 0 system memory, 1 system I/O, {@code 0x7F} functional
 *                   fixed hardware (MWAIT)
 * @param bitWidth   register width in bits
 * @param bitOffset  bit offset
 * @param accessSize ACPI access size (for FFH MWAIT: the MWAIT flags)
 * @param address    the address (for FFH MWAIT: the MWAIT hint)
 */
public record PowerRegister(int spaceId, int bitWidth, int bitOffset, int accessSize, long address) {
    /** ACPI system I/O space. */
    public static final int SPACE_SYSTEM_IO = 1;
    /** ACPI functional fixed hardware space (MWAIT-based C-states). */
    public static final int SPACE_FIXED_HARDWARE = 0x7F;
    /** An all-zero register, for C1 entered with HLT. */
    public static final PowerRegister NONE = new PowerRegister(0, 0, 0, 0, 0);

    /**
     * Checks the fields fit their C types ({@code uint32_t} each but ACPI's byte-sized values).
     *
     * @param spaceId    address space
     * @param bitWidth   width
     * @param bitOffset  offset
     * @param accessSize access size
     * @param address    address
     */
    public PowerRegister {
        Checks.u8("spaceId", spaceId);
        Checks.u8("bitWidth", bitWidth);
        Checks.u8("bitOffset", bitOffset);
        Checks.u8("accessSize", accessSize);
    }
}
