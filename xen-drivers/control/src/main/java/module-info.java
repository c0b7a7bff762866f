/**
 * Shutdown, reboot, suspend and sysrq control, guest and toolstack sides.
 */
module io.xen4j.control {
    // Split drivers share the XenBus device model.
    requires transitive io.xen4j.xenbus;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
