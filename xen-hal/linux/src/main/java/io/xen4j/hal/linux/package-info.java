/**
 * The HAL over the Linux Xen devices ({@code /dev/xen/*}) through the Foreign Function and Memory
 * API: {@link io.xen4j.hal.linux.LinuxXenHost}, registered as the backend {@code "linux"} by
 * {@link io.xen4j.hal.linux.LinuxXenHostProvider}. A failed system call throws
 * {@link io.xen4j.hal.linux.LinuxXenException}, which names the device, the call (an ioctl by its
 * C name) and the errno.
 */
@NullMarked
package io.xen4j.hal.linux;

import org.jspecify.annotations.NullMarked;
