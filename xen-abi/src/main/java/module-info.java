/**
 * Constants and flyweights for the Xen public headers and the Linux /dev/xen ioctl ABI.
 */
module io.xen4j.abi {
    // Flyweights wrap Agrona DirectBuffer/MutableDirectBuffer and expose them in their API.
    requires transitive org.agrona;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.abi;
    exports io.xen4j.abi.blkif;
    exports io.xen4j.abi.console;
    exports io.xen4j.abi.event;
    exports io.xen4j.abi.grant;
    exports io.xen4j.abi.linux;
    exports io.xen4j.abi.memory;
    exports io.xen4j.abi.netif;
    exports io.xen4j.abi.platform;
    exports io.xen4j.abi.ring;
    exports io.xen4j.abi.sched;
    exports io.xen4j.abi.sysctl;
    exports io.xen4j.abi.vcpu;
    exports io.xen4j.abi.xenbus;
    exports io.xen4j.abi.xenstore;
}
