/**
 * xenstore wire codec, client API and transports.
 */
module io.xen4j.store {
    // Wire header layout and message types.
    requires transitive io.xen4j.abi;
    // The guest transport speaks over the xenstore ring page.
    requires io.xen4j.rings;
    // The guest transport gets its page and event channel from the HAL.
    requires transitive io.xen4j.hal;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.store;
    exports io.xen4j.store.transport;
    exports io.xen4j.store.wire;
}
