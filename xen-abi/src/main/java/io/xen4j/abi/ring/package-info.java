/**
 * The shared-ring header of {@code xen/io/ring.h} and the ring-size arithmetic for 1 to 16 pages and any slot size.
 */
@NullMarked
package io.xen4j.abi.ring;

import org.jspecify.annotations.NullMarked;
