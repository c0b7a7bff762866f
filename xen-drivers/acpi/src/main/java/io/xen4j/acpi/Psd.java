package io.xen4j.acpi;

/**
 * P-state dependency ({@code struct xen_psd_package}, from ACPI {@code _PSD}): which processors
 * share a frequency domain and how they coordinate.
 *
 * @param domain        the dependency domain's number
 * @param coordType     {@link #SW_ALL}, {@link #SW_ANY} or {@link #HW_ALL}
 * @param numProcessors processors in the domain
 */
public record Psd(long domain, long coordType, long numProcessors) {
    /** {@code DOMAIN_COORD_TYPE_SW_ALL}: software coordinates, all processors must request. */
    public static final long SW_ALL = 0xFC;
    /** {@code DOMAIN_COORD_TYPE_SW_ANY}: software coordinates, any processor may request. */
    public static final long SW_ANY = 0xFD;
    /** {@code DOMAIN_COORD_TYPE_HW_ALL}: hardware coordinates. */
    public static final long HW_ALL = 0xFE;
    /** {@code ACPI_PSD_REV0_ENTRIES}: the entries of a revision-0 {@code _PSD} package. */
    public static final long REV0_ENTRIES = 5;

    /**
     * Checks the values.
     *
     * @param domain        domain
     * @param coordType     coordination type
     * @param numProcessors processors
     */
    public Psd {
        Checks.nonNegative("domain", domain);
        if (coordType != SW_ALL && coordType != SW_ANY && coordType != HW_ALL) {
            throw new IllegalArgumentException("coordType=0x" + Long.toHexString(coordType) + ": must be 0xFC, 0xFD or 0xFE");
        }
        if (numProcessors < 1) {
            throw new IllegalArgumentException("numProcessors=" + numProcessors + ": must be >= 1");
        }
    }

    /**
     * Xen's shared type for this coordination, as Linux's xen-acpi-processor maps it.
     *
     * @return {@code XEN_CPUPERF_SHARED_TYPE_ALL}, {@code _ANY} or {@code _HW}
     */
    public int sharedType() {
        if (coordType == SW_ALL) {
            return io.xen4j.abi.platform.Xenpf.XEN_CPUPERF_SHARED_TYPE_ALL;
        }
        return coordType == SW_ANY ? io.xen4j.abi.platform.Xenpf.XEN_CPUPERF_SHARED_TYPE_ANY
            : io.xen4j.abi.platform.Xenpf.XEN_CPUPERF_SHARED_TYPE_HW;
    }
}
