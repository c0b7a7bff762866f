/**
 * The Xen ABI: constants and flyweights for the structures of Xen's public headers
 * ({@code xen/xen.h}, {@code xen/io/*.h}, {@code xen/grant_table.h}, ...) and of the Linux
 * {@code /dev/xen/*} ioctl interface.
 *
 * <p>Every structure has one final flyweight class over an Agrona buffer: chained
 * {@code *_OFFSET} constants, {@code LENGTH}, instance accessors after
 * {@code wrap(buffer, offset)} and, for the structures on data paths, static accessors.
 * Multi-byte fields are little-endian, as on every Xen architecture. Where the x86_32 and the
 * x86_64 layouts differ, both exist and {@link io.xen4j.abi.XenAbi} picks one from the
 * {@code protocol} string a frontend writes to xenstore.
 *
 * <p>Every offset, size and constant is checked by tests against the real headers, compiled with
 * {@code gcc -m64} and {@code gcc -m32}.
 */
@NullMarked
package io.xen4j.abi;

import org.jspecify.annotations.NullMarked;
