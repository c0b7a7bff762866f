/**
 * Timers on the Xen clock: many one-shot and periodic timers per vCPU multiplexed on the vCPU's
 * single one-shot timer ({@code VCPUOP_set_singleshot_timer}), and a
 * {@link java.util.concurrent.ScheduledExecutorService} over them.
 */
module io.xen4j.timer {
    // Timers are set through the HAL's Timers and XenClock.
    requires transitive io.xen4j.hal;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.timer;
}
