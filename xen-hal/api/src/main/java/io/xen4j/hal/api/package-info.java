/**
 * The HAL: what one domain can do with the hypervisor, one interface per service.
 *
 * <p>A {@link io.xen4j.hal.api.XenHost} hands the services out for one domain:
 * {@link io.xen4j.hal.api.EventChannels} (the Linux {@code /dev/xen/evtchn} device),
 * {@link io.xen4j.hal.api.GrantTables} ({@code /dev/xen/gntalloc} to share pages,
 * {@code /dev/xen/gntdev} to map and copy a peer's grants), {@link io.xen4j.hal.api.ForeignMemory}
 * and {@link io.xen4j.hal.api.Hypercalls} ({@code /dev/xen/privcmd}),
 * {@link io.xen4j.hal.api.MemoryReservation} (the balloon's hypercalls),
 * {@link io.xen4j.hal.api.Timers} with a {@link io.xen4j.hal.api.XenClock},
 * {@link io.xen4j.hal.api.PlatformOps} (ACPI processor power-management upload) and
 * {@link io.xen4j.hal.api.PlatformInfo} (is this Xen, which guest type and version).
 *
 * <p>Rules every implementation follows, checked by the contract test suites shipped in the
 * {@code xen-hal} test jar:
 * <ul>
 *   <li>Every mapping, binding, share and timer is a {@link io.xen4j.hal.api.XenHandle}: use after
 *   close and a second close throw {@link io.xen4j.hal.api.HandleClosedException}, which names
 *   the handle.</li>
 *   <li>A failed request throws {@link io.xen4j.hal.api.XenHalException}: it names what was asked
 *   (domain, port, grant reference) and carries the errno where the hypervisor or the kernel gave
 *   one. A service the backend lacks throws {@link io.xen4j.hal.api.UnsupportedServiceException},
 *   which names the service, the backend and the reason; nothing is silently a no-op.</li>
 *   <li>Event channels are untrusted input (SECURITY-RULES R8): a delivered port stays masked until
 *   the handler's owner unmasks it, so a flood of notifications costs one dispatch per unmask.</li>
 * </ul>
 *
 * <p>Domain ids and ports are {@code int}; grant references are {@code int} read as unsigned
 * 32-bit; guest frame numbers are {@code long}. Pages are {@value io.xen4j.hal.api.GrantTables#PAGE_SIZE}
 * bytes.
 */
@NullMarked
package io.xen4j.hal.api;

import org.jspecify.annotations.NullMarked;
