/**
 * Internals of the simulated host, not exported.
 */
@NullMarked
package io.xen4j.hal.memory.internal;

import org.jspecify.annotations.NullMarked;
