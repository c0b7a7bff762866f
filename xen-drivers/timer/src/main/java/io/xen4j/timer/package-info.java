/**
 * Timers on the Xen clock: {@link io.xen4j.timer.XenTimers} multiplexes any number of one-shot
 * and periodic timers onto each vCPU's one hardware-like one-shot timer, as Linux's clockevents
 * device does over {@code VCPUOP_set_singleshot_timer}; {@link io.xen4j.timer.XenTimerService}
 * is a {@link java.util.concurrent.ScheduledExecutorService} over it.
 */
@NullMarked
package io.xen4j.timer;

import org.jspecify.annotations.NullMarked;
