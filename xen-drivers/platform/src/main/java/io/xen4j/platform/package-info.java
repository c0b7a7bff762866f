/**
 * Platform detection: {@link io.xen4j.platform.PlatformDetector} reads {@code /sys/hypervisor},
 * {@code /proc/xen/capabilities}, the Xen platform PCI device, {@code /proc/cpuinfo}, DMI and
 * {@code /dev/xen} under a root directory into a {@link io.xen4j.platform.PlatformReport};
 * {@link io.xen4j.platform.PlatformHosts} opens the HAL backend the report calls for, and
 * {@link io.xen4j.platform.PlatformBackendSelector} makes {@code XenHosts.open()} do the same
 * whenever this module is present.
 */
@NullMarked
package io.xen4j.platform;

import org.jspecify.annotations.NullMarked;
