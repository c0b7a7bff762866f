/**
 * blkfront ({@link io.xen4j.blk.BlkFront}, a {@link io.xen4j.blk.BlockDevice}) and blkback
 * ({@link io.xen4j.blk.BlkBack}), each an Agrona {@code Agent} over the HAL, the rings and xenstore.
 */
@NullMarked
package io.xen4j.blk;

import org.jspecify.annotations.NullMarked;
