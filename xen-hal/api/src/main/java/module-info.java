/**
 * What a domain can do with the hypervisor, one interface per service ({@code io.xen4j.hal.api}),
 * and the SPI through which backends are found ({@code io.xen4j.hal.spi}).
 *
 * <p>Backends (the Linux {@code /dev/xen} HAL, the simulated host in memory) provide
 * {@link io.xen4j.hal.spi.XenHostProvider}; {@link io.xen4j.hal.api.XenHosts} finds them with
 * {@link java.util.ServiceLoader}, and lets a {@link io.xen4j.hal.spi.BackendSelector} (platform
 * detection, when its module is present) choose among them.
 */
module io.xen4j.hal {
    // Shared pages are handed out as Agrona buffers and the event loop is an Agrona Agent; ABI
    // constants (GNTST_*, VIRQ_*, DOMID_*) name what is asked for.
    requires transitive io.xen4j.abi;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.hal.api;
    exports io.xen4j.hal.spi;

    uses io.xen4j.hal.spi.XenHostProvider;
    // Platform detection (xen-platform) plugs into XenHosts.open() through this, when present.
    uses io.xen4j.hal.spi.BackendSelector;
}
