/**
 * Internals of the Linux HAL, not exported: libc through FFM ({@link io.xen4j.hal.linux.internal.Libc}),
 * device files, and the service implementations.
 */
@NullMarked
package io.xen4j.hal.linux.internal;

import org.jspecify.annotations.NullMarked;
