/**
 * ACPI processor power-management upload to the hypervisor.
 */
module io.xen4j.acpi {
    // The upload goes through the HAL's platform operations.
    requires transitive io.xen4j.hal;
    requires transitive io.xen4j.store;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
