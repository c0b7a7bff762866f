package io.xen4j.rings;

import io.xen4j.abi.ring.SringHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The backend half of an {@code xen/io/ring.h} shared ring: consumes requests, produces responses.
 * Works for any slot size on 1 to 16 pages and follows the C macros step by step; the method
 * javadoc names the macro each method is.
 *
 * <p>The frontend is not trusted (SECURITY-RULES R1 to R6): {@code req_prod} is read once per poll
 * and validated before any slot is read; {@code req_prod - rsp_prod_pvt > RING_SIZE}
 * ({@code RING_REQUEST_PROD_OVERFLOW}) or a {@code req_prod} behind the requests already consumed
 * breaks the ring with a reason, and consumption stops at {@code RING_REQUEST_CONS_OVERFLOW}. Each
 * request slot is copied out once. A broken ring does nothing until it is attached again; nothing
 * the frontend writes makes a method throw or touch memory outside the shared area.
 *
 * <p>A ring never notifies and never blocks: the push and final-check methods return whether an
 * event is owed to the frontend, or whether there is work. One thread at a time may use a
 * {@code BackRing}. Data-path methods allocate nothing.
 *
 * <pre>{@code
 * back.pollRequests(handler, Integer.MAX_VALUE);  // RING_COPY_REQUEST of each
 * back.pollRequests(slotCopyHandler, HEADER, Integer.MAX_VALUE);  // or only the bytes used (SlotCopy)
 * int slot = back.claimResponse();                // RING_GET_RESPONSE(rsp_prod_pvt++), zeroed
 * response.wrap(back.buffer(), slot).id(id).status(BLKIF_RSP_OKAY)...;   // a BlkifResponse flyweight
 * // or: SlotView slot = back.claimResponseSlot(); response.wrap(slot, 0)...;  // one range check per slot
 * if (back.pushResponsesAndCheckNotify()) { notify the frontend }
 * if (!back.finalCheckForRequests()) { wait for an event }
 * }</pre>
 */
public final class BackRing extends BackRingIndices {
    /** Returned by {@link #claimResponse()} when every consumed request has its response, or the ring is broken. */
    public static final int NO_SLOT = -1;

    /** 128 bytes after the indices: see {@code RingPadding}. */
    @SuppressWarnings("unused")
    private long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    /**
     * Creates an unattached backend for a protocol's request and response types. Slots are
     * {@code max(requestLength, responseLength)} bytes, as {@code union X_sring_entry}; a request
     * is copied out as {@code requestLength} bytes ({@code RING_COPY_REQUEST}), and a claimed
     * response slot has its first {@code responseLength} bytes zeroed.
     *
     * @param name           name of the ring in messages, for example {@code "vbd-3-51712"}
     * @param requestLength  {@code sizeof} the request
     * @param responseLength {@code sizeof} the response
     */
    public BackRing(final String name, final int requestLength, final int responseLength) {
        super(name, responseLength, requestLength, Math.max(requestLength, responseLength));
    }

    /**
     * Creates an unattached backend whose slot is larger than both types, when alignment pads
     * {@code union X_sring_entry} beyond the larger member.
     *
     * @param name           name of the ring in messages
     * @param requestLength  {@code sizeof} the request
     * @param responseLength {@code sizeof} the response
     * @param slotLength     {@code sizeof(union X_sring_entry)}, at least the larger of the two
     */
    public BackRing(final String name, final int requestLength, final int responseLength, final int slotLength) {
        super(name, responseLength, requestLength, slotLength);
    }

    /**
     * Creates an unattached backend whose requests and responses both fill the slot.
     *
     * @param name       name of the ring in messages
     * @param slotLength size of a slot, {@code sizeof(union X_sring_entry)}
     */
    public BackRing(final String name, final int slotLength) {
        super(name, slotLength, slotLength, slotLength);
    }

    /**
     * {@code sizeof} the request: the bytes each consumed request is copied as.
     *
     * @return bytes
     */
    public int requestLength() {
        return consumeLength;
    }

    /**
     * {@code sizeof} the response: the bytes a claim zeroes.
     *
     * @return bytes
     */
    public int responseLength() {
        return produceLength;
    }

    /**
     * {@code BACK_RING_INIT}: attaches at index 0. Only the frontend initialises the shared header,
     * so nothing is written to the shared area.
     *
     * @param sharedRing the shared area, 1, 2, 4, 8 or 16 pages, 4-byte aligned
     * @return this
     * @throws IllegalArgumentException if the area is not 2^order pages or no slot fits
     */
    public BackRing init(final AtomicBuffer sharedRing) {
        return attach(sharedRing, 0);
    }

    /**
     * {@code BACK_RING_ATTACH}: attaches to a shared ring that already carries traffic, with
     * {@code rsp_prod_pvt = req_cons = index}. Writes nothing to the shared area; clears the broken
     * state.
     *
     * @param sharedRing the shared area, 1, 2, 4, 8 or 16 pages, 4-byte aligned
     * @param index      the index both private counters start at
     * @return this
     * @throws IllegalArgumentException if the area is not 2^order pages or no slot fits
     */
    public BackRing attach(final AtomicBuffer sharedRing, final int index) {
        wrap(sharedRing);
        rspProdPvt = index;
        rspProdPushed = index;
        reqCons = index;
        reqProdSeen = index;
        return this;
    }

    /**
     * {@code rsp_prod_pvt}: the index of the next response to produce.
     *
     * @return the index
     */
    public int responseProducer() {
        return rspProdPvt;
    }

    /**
     * {@code req_cons}: the index of the next request to consume.
     *
     * @return the index
     */
    public int requestConsumer() {
        return reqCons;
    }

    /**
     * {@code RING_REQUEST_PROD_OVERFLOW}: whether a request producer index claims more requests
     * than the ring can hold.
     *
     * @param reqProd a value of {@code req_prod}
     * @return true if {@code req_prod - rsp_prod_pvt > RING_SIZE}
     */
    public boolean requestProdOverflow(final int reqProd) {
        return above(reqProd - rspProdPvt, size);
    }

    /**
     * {@code RING_REQUEST_CONS_OVERFLOW}: whether consuming the request at {@code cons} would
     * overflow the ring, because the responses to {@code RING_SIZE} requests are still owed.
     *
     * @param cons a request index
     * @return true if {@code cons - rsp_prod_pvt >= RING_SIZE}
     */
    public boolean requestConsOverflow(final int cons) {
        return Integer.compareUnsigned(cons - rspProdPvt, size) >= 0;
    }

    /**
     * {@code XEN_RING_NR_UNCONSUMED_REQUESTS}: reads {@code req_prod} once (acquire), validates it
     * and returns how many requests may be consumed now: the requests produced, bounded by the
     * slots whose responses are not owed. An invalid index breaks the ring.
     *
     * @return 0 to {@link #size()}; 0 when broken
     */
    public int unconsumedRequests() {
        if (violation != null) {
            return 0;
        }
        // rp = req_prod; virt_rmb(): the acquire load orders every later slot read after it.
        return accept(buffer.getIntAcquire(SringHeader.REQ_PROD_OFFSET));
    }

    /**
     * Whether requests are waiting ({@link #unconsumedRequests()} {@code > 0}).
     *
     * @return true if at least one request may be consumed
     */
    public boolean hasUnconsumedRequests() {
        return unconsumedRequests() > 0;
    }

    /**
     * Validates a {@code req_prod} just read. The hot path is one combined unsigned test, small
     * enough for C2 to inline into every poll; the rare failure, which builds the message, is
     * {@link #rejectRequestProd}, kept out of line.
     */
    private int accept(final int reqProd) {
        final int unanswered = reqProd - rspProdPvt;
        final int requests = reqProd - reqCons;
        // RING_REQUEST_PROD_OVERFLOW (unanswered > size), or req_prod behind the requests already
        // consumed (requests > unanswered, unsigned): the same two tests as before, in one branch.
        if (above(unanswered, size) || above(requests, unanswered)) {
            return rejectRequestProd(reqProd);
        }
        reqProdSeen = reqProd;
        final int room = size - (reqCons - rspProdPvt);
        return Integer.compareUnsigned(requests, room) < 0 ? requests : room;
    }

    /** The cold half of {@link #accept}: names the rule {@code req_prod} broke (overflow first) and breaks the ring. */
    private int rejectRequestProd(final int reqProd) {
        return reject(requestProdOverflow(reqProd) ? RingViolation.RING_REQUEST_PROD_OVERFLOW
            : RingViolation.RING_REQUEST_PROD_BEHIND_CONSUMER, reqProd);
    }

    private int reject(final RingViolation rule, final int reqProd) {
        fail(rule, "req_prod=" + u32(reqProd) + " req_cons=" + u32(reqCons) + " rsp_prod_pvt=" + u32(rspProdPvt),
            "the frontend is ill-behaved; stop servicing the ring and report it");
        return 0;
    }

    /**
     * {@code RING_COPY_REQUEST} of the next request, then {@code req_cons++}. Consumes only up to the
     * {@code req_prod} validated by the last {@link #unconsumedRequests()}, {@link #pollRequests} or
     * {@link #finalCheckForRequests()}, and never past {@code RING_REQUEST_CONS_OVERFLOW}.
     *
     * @param destination buffer for the private copy
     * @param offset      where the copy starts; {@link #requestLength()} bytes are written
     * @return true if a request was copied; false if none is available or the ring is broken
     */
    public boolean copyRequest(final MutableDirectBuffer destination, final int offset) {
        if (reqCons == reqProdSeen || violation != null || requestConsOverflow(reqCons)) {
            return false;
        }
        copyOut(slotOffset(reqCons), destination, offset);
        reqCons++;
        return true;
    }

    /**
     * Reads {@code req_prod} once, then hands a private copy of each available request, up to
     * {@code limit}, to {@code handler} ({@code RING_COPY_REQUEST}). {@code req_cons} advances before
     * each call, so a handler that throws does not see its slot again.
     *
     * @param handler receives each copy
     * @param limit   most requests to consume
     * @return requests consumed; 0 when none or broken
     */
    public int pollRequests(final SlotHandler handler, final int limit) {
        final int count = Math.min(unconsumedRequests(), limit);
        final UnsafeBuffer copy = slotCopy;
        for (int i = 0; i < count; i++) {
            final int index = reqCons;
            copyOutToSlotCopy(slotOffset(index));
            reqCons = index + 1;
            handler.onSlot(copy, index);
        }
        return count;
    }

    /**
     * Reads {@code req_prod} once, then hands each available request, up to {@code limit}, to
     * {@code handler} as a {@link SlotCopy} that holds its first {@code prefixLength} bytes (clamped
     * to {@link #requestLength()}); the handler copies more with {@link SlotCopy#copyUpTo(int)} for
     * a length it reads from that private prefix. Every byte the handler sees was read once from the
     * slot and no byte is read twice (R2); bytes never asked for are never read. {@code req_cons}
     * advances before each call, so a handler that throws does not see its slot again.
     *
     * @param handler      receives each partial copy
     * @param prefixLength bytes copied before the call: the part of the request every handler reads
     * @param limit        most requests to consume
     * @return requests consumed; 0 when none or broken
     */
    public int pollRequests(final SlotCopyHandler handler, final int prefixLength, final int limit) {
        final int count = Math.min(unconsumedRequests(), limit);
        final SlotCopy copy = partialCopy;
        // Clamped once per batch, not once per slot.
        final int prefix = Math.clamp(prefixLength, 0, consumeLength);
        try {
            for (int i = 0; i < count; i++) {
                final int index = reqCons;
                copy.open(slotOffset(index), index, prefix);
                reqCons = index + 1;
                handler.onSlot(copy);
            }
        } finally {
            copy.close();
        }
        return count;
    }

    /**
     * Claims the slot of {@code rsp_prod_pvt} ({@code RING_GET_RESPONSE}), zeroes the response's
     * {@link #responseLength()} bytes so that none goes out unset (R7), and advances
     * {@code rsp_prod_pvt}. The rest of the slot still holds the frontend's own request. A response may only answer a
     * consumed request: the slot is the one that request came in.
     *
     * @return offset of the slot in {@link #buffer()}, or {@link #NO_SLOT} if every consumed request
     *     has its response or the ring is broken
     */
    public int claimResponse() {
        if (violation != null || rspProdPvt == reqCons) {
            return NO_SLOT;
        }
        final int offset = slotOffset(rspProdPvt);
        partialCopy.slotClaimed(offset);
        zeroClaimedResponse(offset);
        rspProdPvt++;
        return offset;
    }

    /**
     * {@link #claimResponse()}, returning the claimed slot as a buffer whose offsets start at the
     * slot: the response's {@link #responseLength()} bytes, zeroed (R7). Field stores through it
     * are bounds-checked against the slot and cost less than stores through {@link #buffer()} (see
     * {@link SlotView}). The same object for every claim; valid until the next claim, attach or
     * init.
     *
     * @return the claimed slot, or null if every consumed request has its response or the ring is
     *     broken
     */
    public @Nullable SlotView claimResponseSlot() {
        final int offset = claimResponse();
        return offset == NO_SLOT ? null : claimedSlotView(offset);
    }

    /**
     * Copies a response built in private memory into the slot of {@code rsp_prod_pvt} and advances
     * {@code rsp_prod_pvt}: {@code *RING_GET_RESPONSE(r, r->rsp_prod_pvt++) = *response}. The
     * slot's {@link #responseLength()} bytes come from {@code source}, so they are all set (R7) when
     * the private buffer is.
     *
     * @param source the response, {@link #responseLength()} bytes
     * @param offset offset of the response in {@code source}
     * @return true if copied; false if every consumed request has its response or the ring is broken
     */
    public boolean produceResponse(final DirectBuffer source, final int offset) {
        if (violation != null || rspProdPvt == reqCons) {
            return false;
        }
        final int slot = slotOffset(rspProdPvt);
        partialCopy.slotClaimed(slot);
        copyIn(slot, source, offset);
        rspProdPvt++;
        return true;
    }

    /**
     * {@code RING_PUSH_RESPONSES}: publishes the produced responses without the notify check.
     */
    public void pushResponses() {
        if (violation != null) {
            return;
        }
        // xen_wmb(); rsp_prod = rsp_prod_pvt: the release store orders every slot write before it.
        buffer.putIntRelease(SringHeader.RSP_PROD_OFFSET, rspProdPvt);
        rspProdPushed = rspProdPvt;
    }

    /**
     * {@code RING_PUSH_RESPONSES_AND_CHECK_NOTIFY}: publishes the produced responses and says whether
     * the frontend asked for an event ({@code rsp_event}) at one of them.
     *
     * @return true if the caller must notify the frontend; false when broken
     */
    public boolean pushResponsesAndCheckNotify() {
        if (violation != null) {
            return false;
        }
        // The index this backend last published, kept privately: the C macro reads it back from
        // the shared page, where the frontend could have rewritten it to move the notify check.
        final int oldProd = rspProdPushed;
        final int newProd = rspProdPvt;
        // xen_wmb(); rsp_prod = new; xen_mb(): release store plus full fence.
        buffer.putIntVolatile(SringHeader.RSP_PROD_OFFSET, newProd);
        rspProdPushed = newProd;
        // Volatile load after the volatile store: reads rsp_event only once the index is visible.
        final int event = buffer.getIntVolatile(SringHeader.RSP_EVENT_OFFSET);
        return eventInRange(newProd, oldProd, event);
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_REQUESTS}: if no request is waiting, asks the frontend for an event
     * at the next one ({@code req_event = req_cons + 1}) and checks once more. Call before waiting
     * for an event.
     *
     * @return true if requests are waiting (do not sleep); false if the caller may wait for an event
     */
    public boolean finalCheckForRequests() {
        if (unconsumedRequests() > 0) {
            return true;
        }
        if (violation != null) {
            return false;
        }
        // req_event = req_cons + 1; xen_mb(): volatile store then volatile load, never reordered.
        buffer.putIntVolatile(SringHeader.REQ_EVENT_OFFSET, reqCons + 1);
        return accept(buffer.getIntVolatile(SringHeader.REQ_PROD_OFFSET)) > 0;
    }
}
