/**
 * What a domain can do with the hypervisor, one interface per service, and the provider SPI.
 */
module io.xen4j.hal {
    // Shared pages are handed out as Agrona buffers; ABI constants name what is asked for.
    requires transitive io.xen4j.abi;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
