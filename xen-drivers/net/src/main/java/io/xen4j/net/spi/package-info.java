/**
 * Where netback's frames go: the {@link io.xen4j.net.spi.PacketPort} SPI with an in-memory
 * learning switch ({@link io.xen4j.net.spi.MemorySwitch}) and a Linux TAP device
 * ({@link io.xen4j.net.spi.TapPort}).
 */
@NullMarked
package io.xen4j.net.spi;

import org.jspecify.annotations.NullMarked;
