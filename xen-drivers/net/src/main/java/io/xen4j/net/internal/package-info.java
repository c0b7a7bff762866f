/**
 * The pure netif cores: the transmit chain reader and its rules, and packet header helpers
 * (checksums, TCP segmentation, flow hashes). Not exported.
 */
@NullMarked
package io.xen4j.net.internal;

import org.jspecify.annotations.NullMarked;
