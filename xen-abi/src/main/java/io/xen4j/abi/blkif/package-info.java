/**
 * The block device protocol of {@code xen/io/blkif.h}: requests, segments, discard and indirect
 * requests, responses, operations and limits, in the x86_64 layout ({@code BlkifRequest}, ...)
 * and the x86_32 layout ({@code BlkifRequestX86_32}, ...) where the two differ.
 */
@NullMarked
package io.xen4j.abi.blkif;

import org.jspecify.annotations.NullMarked;
