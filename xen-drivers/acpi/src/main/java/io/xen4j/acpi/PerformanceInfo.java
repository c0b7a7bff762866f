package io.xen4j.acpi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A processor's P-states ({@code struct xen_processor_performance}).
 *
 * @param platformLimit   {@code _PPC}: the index of the fastest state the platform allows now
 * @param controlRegister {@code _PCT}'s control register
 * @param statusRegister  {@code _PCT}'s status register
 * @param states          {@code _PSS}, fastest first
 * @param psd             {@code _PSD}, or null when the firmware has none
 */
public record PerformanceInfo(int platformLimit, PctRegister controlRegister, PctRegister statusRegister,
                              List<PState> states, @Nullable Psd psd) {
    /** The most P-states uploaded. */
    public static final int MAX_STATES = 255;

    /**
     * Copies and checks the values.
     *
     * @param platformLimit   {@code _PPC}
     * @param controlRegister control register
     * @param statusRegister  status register
     * @param states          states
     * @param psd             dependency, or null
     */
    public PerformanceInfo {
        Objects.requireNonNull(controlRegister, "controlRegister");
        Objects.requireNonNull(statusRegister, "statusRegister");
        states = List.copyOf(states);
        if (states.isEmpty() || states.size() > MAX_STATES) {
            throw new IllegalArgumentException("states=" + states.size() + ": need 1.." + MAX_STATES + " P-states");
        }
        if (platformLimit < 0 || platformLimit >= states.size()) {
            throw new IllegalArgumentException("platformLimit=" + platformLimit + ": must index one of the "
                + states.size() + " P-states");
        }
    }

    /**
     * The {@code flags} Linux sets: {@code _PCT}, {@code _PSS} and {@code _PPC} always, {@code _PSD} when present.
     *
     * @return the {@code XEN_PX_*} bits
     */
    public int flags() {
        return io.xen4j.abi.platform.Xenpf.XEN_PX_PCT | io.xen4j.abi.platform.Xenpf.XEN_PX_PSS
            | io.xen4j.abi.platform.Xenpf.XEN_PX_PPC | (psd == null ? 0 : io.xen4j.abi.platform.Xenpf.XEN_PX_PSD);
    }
}
