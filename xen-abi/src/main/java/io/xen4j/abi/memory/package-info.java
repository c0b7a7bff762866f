/**
 * Memory reservations, {@code xen/memory.h}: {@code xen_memory_reservation} and {@code XENMEM_*}.
 */
@NullMarked
package io.xen4j.abi.memory;

import org.jspecify.annotations.NullMarked;
