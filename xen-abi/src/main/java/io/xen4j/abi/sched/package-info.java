/**
 * Scheduler operations, {@code xen/sched.h}: {@code sched_shutdown} and {@code SHUTDOWN_*} reasons.
 */
@NullMarked
package io.xen4j.abi.sched;

import org.jspecify.annotations.NullMarked;
