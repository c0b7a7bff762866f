/**
 * The xenstore wire protocol of {@code xen/io/xs_wire.h}: message header, message types, error names, and the {@code xenstore_domain_interface} ring page with its reconnection fields.
 */
@NullMarked
package io.xen4j.abi.xenstore;

import org.jspecify.annotations.NullMarked;
