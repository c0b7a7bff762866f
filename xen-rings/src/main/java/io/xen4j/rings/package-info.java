/**
 * Shared-memory rings of Xen paravirtual protocols: {@link io.xen4j.rings.FrontRing} and
 * {@link io.xen4j.rings.BackRing} follow {@code xen/io/ring.h} for any request/response slot on 1
 * to 16 pages; {@link io.xen4j.rings.ConsoleRing} and {@link io.xen4j.rings.XenstoreRing} are the
 * byte rings of the console and xenstore pages.
 *
 * <p>Rings are pure: they never notify, never block and do no I/O. Each push, release and final
 * check returns whether the caller owes the peer an event, or whether work is waiting; the caller
 * asks its HAL for the event channel. The peer is not trusted: producer indices are read once and
 * validated, slots are copied out once, and a violation moves the ring to a broken state with a
 * {@code key=value} reason naming the ring, the rule and the index values.
 *
 * <h2>Copying slots out</h2>
 * A consumer gets each slot as a private copy, taken once from the shared page
 * ({@code RING_COPY_REQUEST} / {@code RING_COPY_RESPONSE}, SECURITY-RULES R2), in one of two ways:
 * {@link io.xen4j.rings.SlotHandler} receives the whole type ({@code sizeof} the request or
 * response); {@link io.xen4j.rings.SlotCopyHandler} receives a {@link io.xen4j.rings.SlotCopy}
 * that holds a fixed prefix and grows, on the handler's request, to a length the handler read from
 * that private prefix (blkif: the header, then {@code nr_segments} segments). R2 is about reading
 * each shared byte once and deciding on the copy; the partial copy reads each byte at most once,
 * only grows, is clamped to {@code sizeof} the type and ends when the handler returns, so bytes
 * nobody uses are simply not read, as when gcc keeps only the used loads of a {@code RING_COPY_*}.
 *
 * <h2>Indices</h2>
 * Ring indices are free-running unsigned 32-bit counters held in Java {@code int}s. They wrap from
 * 2^32-1 to 0, so they are only ever subtracted ({@code prod - cons} is the number of items, also
 * across the wrap) and compared unsigned; they are masked with {@code size - 1} only to address a
 * slot or a byte.
 *
 * <h2>Memory ordering</h2>
 * Every shared index is read and written only through the ordered accessors of Agrona's
 * {@link org.agrona.concurrent.AtomicBuffer}; slot and data bytes use plain accesses, ordered by
 * the index accesses around them. On x86 Linux's {@code virt_wmb()} and {@code virt_rmb()} are
 * compiler barriers and {@code virt_mb()} is a full fence; the Java accessors give the same
 * guarantees on every JVM platform.
 * <table class="striped">
 * <caption>ring.h barriers and the Java accessors that stand for them</caption>
 * <thead><tr><th>C (ring.h, Linux drivers)</th><th>Java</th><th>Why</th></tr></thead>
 * <tbody>
 * <tr><td>{@code RING_PUSH_*}: {@code xen_wmb(); prod = pvt}</td><td>{@code putIntRelease(prod)}</td>
 *     <td>the peer must see the slots before the index that publishes them</td></tr>
 * <tr><td>{@code RING_PUSH_*_AND_CHECK_NOTIFY}: {@code xen_wmb(); prod = new; xen_mb(); read event}</td>
 *     <td>{@code putIntVolatile(prod)}, then {@code getIntVolatile(event)}</td>
 *     <td>release for the slots; the store-load fence makes either the peer see the new index or
 *     us see its new event index, so no wake-up is lost</td></tr>
 * <tr><td>consumer: {@code rp = prod; virt_rmb()} (Linux drivers, before the slot loop)</td>
 *     <td>{@code getIntAcquire(prod)}</td>
 *     <td>no slot may be read before the index that says it is ready</td></tr>
 * <tr><td>{@code RING_FINAL_CHECK_FOR_*}: {@code event = cons + 1; xen_mb(); read prod}</td>
 *     <td>{@code putIntVolatile(event)}, then {@code getIntVolatile(prod)}</td>
 *     <td>the same store-load race as the push, seen from the consumer</td></tr>
 * <tr><td>{@code SHARED_RING_INIT}</td><td>{@code putIntRelease} of each index after the padding is zeroed</td>
 *     <td>a re-initialised page may already be mapped by the peer</td></tr>
 * <tr><td>byte ring write: {@code virt_wmb(); prod += n}</td><td>{@code putIntRelease(prod)}</td>
 *     <td>the bytes are visible before the producer index</td></tr>
 * <tr><td>byte ring read: {@code prod = intf->prod; virt_rmb()}</td><td>{@code getIntAcquire(prod)}</td>
 *     <td>no byte is read before the index that covers it</td></tr>
 * <tr><td>byte ring release: {@code virt_mb(); cons += n}</td><td>{@code putIntRelease(cons)}</td>
 *     <td>the data loads complete before the producer may overwrite the space (a release store
 *     orders earlier loads, which is all this full barrier is for)</td></tr>
 * <tr><td>byte ring write: read {@code cons}</td><td>{@code getIntAcquire(cons)}</td>
 *     <td>the consumer's reads of the space happen before we overwrite it</td></tr>
 * <tr><td>xenstore {@code connection}, {@code error}, {@code server_features}</td>
 *     <td>{@code getIntAcquire}; {@code putIntRelease} or {@code putIntVolatile}</td>
 *     <td>the reset indices are visible before {@code connection = 0}</td></tr>
 * </tbody>
 * </table>
 *
 * <h2>Allocation</h2>
 * No data-path method allocates: claims, pushes, polls, copies, reads and writes work on the
 * shared buffer, the caller's buffers and one private slot copy per ring. Only the first violation
 * builds its message.
 */
@NullMarked
package io.xen4j.rings;

import org.jspecify.annotations.NullMarked;
