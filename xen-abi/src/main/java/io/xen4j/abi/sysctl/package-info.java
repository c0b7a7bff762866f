/**
 * System-control operations, {@code xen/sysctl.h}: the {@code xen_sysctl} hypercall argument and
 * Xen's power-management statistics ({@code XEN_SYSCTL_get_pmstat}: {@code pm_cx_stat} for
 * C-states, {@code pm_px_stat} with its {@code pm_px_val} entries for P-states). The layouts are
 * the same for 32- and 64-bit callers ({@code uint64_aligned_t} and 64-bit guest handles), and the
 * fixtures check both.
 */
@NullMarked
package io.xen4j.abi.sysctl;

import org.jspecify.annotations.NullMarked;
