package io.xen4j.acpi;

import io.xen4j.abi.platform.Xenpf;
import java.util.List;

/**
 * A processor's C-states ({@code struct xen_processor_power}).
 *
 * @param states         C1 and deeper, in order (Xen numbers them from 1; C0 is not listed)
 * @param bmControl      {@code flags.bm_control}: the chipset has bus-master arbitration control
 * @param bmCheck        {@code flags.bm_check}: bus-master activity must be checked before C3
 * @param hasCst         {@code flags.has_cst}: the states came from {@code _CST}
 * @param powerSetupDone {@code flags.power_setup_done}
 */
public record PowerInfo(List<CState> states, boolean bmControl, boolean bmCheck, boolean hasCst,
                        boolean powerSetupDone) {
    /** The most C-states uploaded ({@code ACPI_PROCESSOR_MAX_POWER} in Linux). */
    public static final int MAX_STATES = 8;

    /**
     * Copies and checks the states.
     *
     * @param states         states
     * @param bmControl      flag
     * @param bmCheck        flag
     * @param hasCst         flag
     * @param powerSetupDone flag
     */
    public PowerInfo {
        states = List.copyOf(states);
        if (states.isEmpty() || states.size() > MAX_STATES) {
            throw new IllegalArgumentException("states=" + states.size() + ": need 1.." + MAX_STATES + " C-states");
        }
    }

    /**
     * C-states from {@code _CST} with the flags Linux sets on a typical machine.
     *
     * @param states the states
     * @return the power information
     */
    public static PowerInfo of(final List<CState> states) {
        return new PowerInfo(states, false, true, true, true);
    }

    /**
     * The flags word as the compiler lays out {@code struct xen_processor_flags}.
     *
     * @return the bits
     */
    public int flagsWord() {
        return (bmControl ? Xenpf.XEN_PROCESSOR_FLAG_BM_CONTROL : 0) | (bmCheck ? Xenpf.XEN_PROCESSOR_FLAG_BM_CHECK : 0)
            | (hasCst ? Xenpf.XEN_PROCESSOR_FLAG_HAS_CST : 0)
            | (powerSetupDone ? Xenpf.XEN_PROCESSOR_FLAG_POWER_SETUP_DONE : 0);
    }
}
