/**
 * The XenBus device model: {@link io.xen4j.xenbus.DevicePaths} (where a device lives in
 * xenstore), {@link io.xen4j.xenbus.FrontendStateMachine} and
 * {@link io.xen4j.xenbus.BackendStateMachine} (pure, idempotent handshakes),
 * {@link io.xen4j.xenbus.XenbusToolstack} (creating and removing device nodes as libxl does),
 * {@link io.xen4j.xenbus.BackendWatcher} (discovering devices under {@code backend/<type>}) and
 * {@link io.xen4j.xenbus.XenbusStates} (reading and writing {@code state} nodes of a hostile peer).
 */
@NullMarked
package io.xen4j.xenbus;

import org.jspecify.annotations.NullMarked;
