/**
 * One-shot per-vCPU timers on the Xen clock.
 */
module io.xen4j.timer {
    // Timers are set through the HAL.
    requires transitive io.xen4j.hal;
    // Timer drivers may read xenstore-published clock settings.
    requires transitive io.xen4j.store;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
