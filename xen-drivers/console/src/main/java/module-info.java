/**
 * PV console frontend and a xenconsoled-like backend.
 */
module io.xen4j.console {
    // Split drivers share the XenBus device model.
    requires transitive io.xen4j.xenbus;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
