/**
 * Block frontend and backend (blkif): {@link io.xen4j.blk.BlkFront} uses a disk another domain
 * serves through the {@link io.xen4j.blk.BlockDevice} API; {@link io.xen4j.blk.BlkBack} serves a
 * {@link io.xen4j.blk.spi.BlockStore} to another domain.
 */
module io.xen4j.blk {
    // Split drivers share the XenBus device model.
    requires transitive io.xen4j.xenbus;
    // Data crosses the BlockDevice API as Netty ByteBufs.
    requires transitive io.netty.buffer;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.blk;
    exports io.xen4j.blk.spi;
}
