/**
 * The xenstore wire codec, pure and shared by the client and the in-memory xenstored: a message
 * value ({@link io.xen4j.store.wire.XsMessage}), an incremental parser that accepts bytes in any
 * chunking ({@link io.xen4j.store.wire.XsParser}, answering with a
 * {@link io.xen4j.store.wire.ParseResult}) and an encoder ({@link io.xen4j.store.wire.XsEncoder}).
 *
 * <p>Nothing here does I/O or keeps a reference to the caller's buffers: the parser copies every
 * byte it is given into its own storage, so that bytes read from a page shared with another
 * domain are fetched once and validated on the copy (SECURITY-RULES R2).
 */
@NullMarked
package io.xen4j.store.wire;

import org.jspecify.annotations.NullMarked;
