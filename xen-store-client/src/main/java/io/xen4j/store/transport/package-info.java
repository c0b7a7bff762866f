/**
 * The byte streams a xenstore client talks over: the Unix socket of xenstored
 * ({@link io.xen4j.store.transport.UnixSocketTransport}), the xenbus device of a Linux domain
 * ({@link io.xen4j.store.transport.XenbusDeviceTransport}), and the shared ring page and event
 * channel of a domain's own connection ({@link io.xen4j.store.transport.XenstoreRingTransport}). Each one is an {@link io.xen4j.store.transport.XsTransport}:
 * it moves bytes and knows nothing of messages, which the client frames with the wire codec.
 */
@NullMarked
package io.xen4j.store.transport;

import org.jspecify.annotations.NullMarked;
