package io.xen4j.acpi;

import org.jspecify.annotations.Nullable;

/**
 * One processor's power-management data, as {@code xen-acpi-processor} uploads it.
 *
 * @param acpiId      the ACPI processor id ({@code _UID} / {@code ProcessorID}), which Xen keys
 *                    its data by; not the Linux CPU number
 * @param power       its C-states, or null to upload none
 * @param performance its P-states, or null to upload none
 */
public record ProcessorPm(int acpiId, @Nullable PowerInfo power, @Nullable PerformanceInfo performance) {
    /**
     * Checks the id.
     *
     * @param acpiId      ACPI id
     * @param power       C-states or null
     * @param performance P-states or null
     */
    public ProcessorPm {
        if (acpiId < 0) {
            throw new IllegalArgumentException("acpiId=" + acpiId + ": must be >= 0");
        }
    }
}
