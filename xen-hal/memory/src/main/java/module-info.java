/**
 * A deterministic simulated Xen host in memory.
 */
module io.xen4j.hal.memory {
    // Implements the HAL interfaces.
    requires transitive io.xen4j.hal;
    // The simulated xenstored serves its rings with the ring code of xen4j itself.
    requires io.xen4j.rings;
    // The in-memory xenstored parses and encodes messages with the shared xenstore wire codec.
    requires io.xen4j.store;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.hal.memory.xenstore;
}
