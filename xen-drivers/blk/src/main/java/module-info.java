/**
 * Block frontend and backend (blkif).
 */
module io.xen4j.blk {
    // Split drivers share the XenBus device model.
    requires transitive io.xen4j.xenbus;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
