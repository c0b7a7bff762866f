/**
 * The network device protocol of {@code xen/io/netif.h}: tx/rx requests and responses, extra-info slots (GSO, multicast, hash), the control ring, flags and limits.
 */
@NullMarked
package io.xen4j.abi.netif;

import org.jspecify.annotations.NullMarked;
