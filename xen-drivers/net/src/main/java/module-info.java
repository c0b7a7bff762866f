/**
 * Network frontend and backend (netif): {@link io.xen4j.net.NetFront} is a network interface
 * another domain serves, used through the {@link io.xen4j.net.NetDevice} API;
 * {@link io.xen4j.net.NetBack} gives another domain a network interface whose frames go to a
 * {@link io.xen4j.net.spi.PacketPort} (an in-memory switch or a Linux TAP device).
 */
module io.xen4j.net {
    // Split drivers share the XenBus device model.
    requires transitive io.xen4j.xenbus;
    // Frames cross the NetDevice and PacketPort APIs as Netty ByteBufs.
    requires transitive io.netty.buffer;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.net;
    exports io.xen4j.net.spi;
}
