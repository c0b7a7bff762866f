/**
 * The HAL over Linux /dev/xen devices through the Foreign Function and Memory API.
 */
module io.xen4j.hal.linux {
    // Implements the HAL interfaces.
    requires transitive io.xen4j.hal;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
