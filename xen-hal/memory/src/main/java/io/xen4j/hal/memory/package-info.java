/**
 * The simulated Xen host: {@link io.xen4j.hal.memory.SimulatedXen} creates domains whose
 * {@link io.xen4j.hal.api.XenHost}s act on one another as the hypervisor would, with a virtual
 * clock and seeded fault injection ({@link io.xen4j.hal.memory.FaultPlan},
 * {@link io.xen4j.hal.memory.FaultLog}).
 *
 * <p>The in-memory xenstored ({@code io.xen4j.hal.memory.xenstore.SimulatedXenstore}) attaches
 * through {@link io.xen4j.hal.memory.DomainListener} (domain introduction and release) and uses
 * the domains' hosts for their xenstore pages and store event channels like any other backend.
 */
@NullMarked
package io.xen4j.hal.memory;

import org.jspecify.annotations.NullMarked;
