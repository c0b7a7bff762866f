package io.xen4j.acpi;

import java.util.Objects;

/**
 * One C-state ({@code struct xen_processor_cx}, from ACPI {@code _CST}).
 *
 * @param type         the ACPI C-state type, 1..3 (deeper states report 3)
 * @param latencyUs    worst-case entry plus exit latency, in microseconds
 * @param powerMw      average power in the state, in milliwatts
 * @param register     how to enter it
 */
public record CState(int type, long latencyUs, long powerMw, PowerRegister register) {
    /**
     * Checks the values.
     *
     * @param type      type
     * @param latencyUs latency
     * @param powerMw   power
     * @param register  entry register
     */
    public CState {
        if (type < 1 || type > 3) {
            throw new IllegalArgumentException("type=" + type + ": ACPI C-state types are 1..3");
        }
        Checks.u32("latencyUs", latencyUs);
        Checks.u32("powerMw", powerMw);
        Objects.requireNonNull(register, "register");
    }
}
