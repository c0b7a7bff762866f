/**
 * The XenBus device model every PV driver shares: device paths, the per-side state machines,
 * the toolstack's part of creating a device, and the backend's discovery of new devices.
 */
module io.xen4j.xenbus {
    // Devices are driven over the HAL and described in xenstore.
    requires transitive io.xen4j.hal;
    requires transitive io.xen4j.store;
    // Every split driver exchanges requests over io/ring.h rings.
    requires transitive io.xen4j.rings;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.xenbus;
}
