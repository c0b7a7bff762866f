/**
 * ACPI processor power management for Xen: {@link io.xen4j.acpi.ProcessorPm} describes one
 * processor's C-states ({@link io.xen4j.acpi.PowerInfo}) and P-states
 * ({@link io.xen4j.acpi.PerformanceInfo}); {@link io.xen4j.acpi.SysfsPmReader} builds the
 * descriptions from {@code /sys/devices/system/cpu}; {@link io.xen4j.acpi.PmCodec} encodes them
 * as {@code xenpf_set_processor_pminfo} with its state arrays (and decodes them back);
 * {@link io.xen4j.acpi.AcpiProcessorUploader} submits them through the HAL.
 * {@link io.xen4j.acpi.PmStatistics} reads Xen's per-CPU idle time ({@code XENPF_getidletime})
 * into {@link io.xen4j.acpi.IdleSample}s and computes each CPU's idle share
 * ({@link io.xen4j.acpi.CpuIdle}) between two of them; it also reads the C- and P-state statistics of
 * {@code XEN_SYSCTL_get_pmstat} and gives each state's share between two readings
 * ({@link io.xen4j.acpi.StateShare}).
 */
@NullMarked
package io.xen4j.acpi;

import org.jspecify.annotations.NullMarked;
