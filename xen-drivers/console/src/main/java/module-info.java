/**
 * PV console frontend and a xenconsoled-like backend: {@link io.xen4j.console.GuestConsole} is a
 * guest's console page as streams (the primary console, or a secondary one through
 * {@link io.xen4j.console.SecondaryConsoleFront}); {@link io.xen4j.console.ConsoleBackend} serves
 * the consoles of any number of domains to log files, Java streams or pseudo-terminals.
 */
module io.xen4j.console {
    // Split drivers share the XenBus device model (and through it the HAL, the store and the rings).
    requires transitive io.xen4j.xenbus;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.console;
}
