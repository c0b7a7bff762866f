/**
 * Event channels, {@code xen/event_channel.h}: the operation structures and numbers.
 */
@NullMarked
package io.xen4j.abi.event;

import org.jspecify.annotations.NullMarked;
