/**
 * A deterministic simulated Xen host in memory: {@link io.xen4j.hal.memory.SimulatedXen}.
 */
module io.xen4j.hal.memory {
    // Implements the HAL interfaces and hands out their types.
    requires transitive io.xen4j.hal;
    // The simulated xenstored serves the domains' xenstore pages with the ring code of xen4j itself.
    requires io.xen4j.rings;
    // The in-memory xenstored speaks the shared xenstore wire codec; its API hands out XsMessage.
    requires transitive io.xen4j.store;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.hal.memory;
    exports io.xen4j.hal.memory.xenstore;

    provides io.xen4j.hal.spi.XenHostProvider with io.xen4j.hal.memory.MemoryXenHostProvider;
}
