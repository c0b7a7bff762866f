/**
 * The storage a backend serves: {@link io.xen4j.blk.spi.BlockStore}, with a memory and a file
 * implementation.
 */
@NullMarked
package io.xen4j.blk.spi;

import org.jspecify.annotations.NullMarked;
