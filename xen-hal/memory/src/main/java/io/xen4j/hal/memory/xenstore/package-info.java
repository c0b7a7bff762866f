/**
 * The simulated host's xenstored: the semantics of C xenstored 4.17 in memory
 * ({@link io.xen4j.hal.memory.xenstore.XenstoreCore}, a pure state machine), made thread-safe
 * ({@link io.xen4j.hal.memory.xenstore.XenstoreService}) and served in-process, as a byte stream
 * ({@link io.xen4j.hal.memory.xenstore.XsByteStream}), on each simulated domain's own xenstore
 * page and event channel ({@link io.xen4j.hal.memory.xenstore.SimulatedXenstore#ringClient}, served
 * by the {@code xenstored-rings} thread) and on a Unix socket
 * ({@link io.xen4j.hal.memory.xenstore.XenstoredSocketServer}) that Xen's own C tools accept.
 *
 * <p>Every client is untrusted unless privileged: requests are checked against permissions,
 * quotas ({@link io.xen4j.hal.memory.xenstore.XenstoreQuotas}) and the xenstore rules of
 * SECURITY-RULES.md, and no input makes the daemon throw, hang or send more than 4096 bytes in
 * one message.
 */
@NullMarked
package io.xen4j.hal.memory.xenstore;

import org.jspecify.annotations.NullMarked;
