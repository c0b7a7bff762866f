/**
 * Platform operations, {@code xen/platform.h}: ACPI processor power-management upload ({@code xenpf_set_processor_pminfo}, performance, P-states, C-states) and per-CPU idle time ({@code xenpf_getidletime}).
 */
@NullMarked
package io.xen4j.abi.platform;

import org.jspecify.annotations.NullMarked;
