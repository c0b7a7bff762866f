/**
 * Shutdown, reboot, suspend and sysrq control, guest and toolstack sides:
 * {@link io.xen4j.control.ControlGuest} watches {@code control/shutdown} and {@code control/sysrq}
 * in a guest, {@link io.xen4j.control.ControlToolstack} requests actions from dom0 and waits for
 * the acknowledgement.
 */
module io.xen4j.control {
    // The control nodes live in xenstore; the XenBus module brings the store client.
    requires transitive io.xen4j.xenbus;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.control;
}
