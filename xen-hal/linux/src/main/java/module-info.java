/**
 * The HAL over Linux /dev/xen devices through the Foreign Function and Memory API: event channels
 * (evtchn), grant tables (gntalloc, gntdev), hypercalls and foreign memory (privcmd), platform facts
 * (/sys/hypervisor, /proc/xen). Needs {@code --enable-native-access=io.xen4j.hal.linux}.
 */
module io.xen4j.hal.linux {
    // Implements the HAL interfaces and its SPI (PageViewBuffer, AbstractXenHandle).
    requires transitive io.xen4j.hal;
    // The /dev/xen ioctl layouts, hypercall structures and JvmFlags.
    requires io.xen4j.abi;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.hal.linux;

    provides io.xen4j.hal.spi.XenHostProvider with io.xen4j.hal.linux.LinuxXenHostProvider;
}
