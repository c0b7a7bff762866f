/**
 * The pure blkif cores: the two request layouts, the request decoder and the validator.
 * Not exported.
 */
@NullMarked
package io.xen4j.blk.internal;

import org.jspecify.annotations.NullMarked;
