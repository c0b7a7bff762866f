/**
 * netfront ({@link io.xen4j.net.NetFront}, a {@link io.xen4j.net.NetDevice}) and netback
 * ({@link io.xen4j.net.NetBack}), each an Agrona {@code Agent} over the HAL, the rings and xenstore.
 */
@NullMarked
package io.xen4j.net;

import org.jspecify.annotations.NullMarked;
