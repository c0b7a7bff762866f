package io.xen4j.acpi;

/**
 * One P-state ({@code struct xen_processor_px}, from ACPI {@code _PSS}).
 *
 * @param coreFrequencyMhz   core frequency, MHz
 * @param powerMw            power dissipation, mW
 * @param transitionLatencyUs worst-case latency to switch to it, µs
 * @param busMasterLatencyUs bus masters' latency while switching, µs
 * @param control            the value written to the control register to enter it
 * @param status             the value the status register reads in it
 */
public record PState(long coreFrequencyMhz, long powerMw, long transitionLatencyUs, long busMasterLatencyUs,
                     long control, long status) {
    /**
     * Checks the values are not negative (they are {@code uint64_t} in C; values beyond
     * {@link Long#MAX_VALUE} do not occur in ACPI tables).
     *
     * @param coreFrequencyMhz    frequency
     * @param powerMw             power
     * @param transitionLatencyUs transition latency
     * @param busMasterLatencyUs  bus-master latency
     * @param control             control value
     * @param status              status value
     */
    public PState {
        Checks.nonNegative("coreFrequencyMhz", coreFrequencyMhz);
        Checks.nonNegative("powerMw", powerMw);
        Checks.nonNegative("transitionLatencyUs", transitionLatencyUs);
        Checks.nonNegative("busMasterLatencyUs", busMasterLatencyUs);
    }
}
