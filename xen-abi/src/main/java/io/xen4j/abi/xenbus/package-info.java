/**
 * The XenBus device states of {@code xen/io/xenbus.h}.
 */
@NullMarked
package io.xen4j.abi.xenbus;

import org.jspecify.annotations.NullMarked;
