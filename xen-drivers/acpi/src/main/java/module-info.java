/**
 * ACPI processor power-management upload to the hypervisor, as Linux's xen-acpi-processor does
 * it: C-states and P-states described as records or read from sysfs, encoded with the ABI
 * flyweights and submitted with {@code XENPF_set_processor_pminfo} through the HAL; and Xen's
 * per-CPU idle statistics ({@code XENPF_getidletime}) and C-/P-state statistics
 * ({@code XEN_SYSCTL_get_pmstat}).
 */
module io.xen4j.acpi {
    // The upload goes through the HAL's PlatformOps; the structures are the ABI's flyweights
    // (io.xen4j.abi, transitively).
    requires transitive io.xen4j.hal;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.acpi;
}
