/**
 * Xen platform detection.
 */
module io.xen4j.platform {
    // Detection asks the HAL what it runs on.
    requires transitive io.xen4j.hal;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
