package io.xen4j.rings;

import io.xen4j.abi.ring.SringHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The frontend half of an {@code xen/io/ring.h} shared ring: produces requests, consumes responses.
 * Works for any slot size on 1 to 16 pages and follows the C macros step by step; the method
 * javadoc names the macro each method is.
 *
 * <p>The backend is not trusted (SECURITY-RULES R1, R2, R5, R6): {@code rsp_prod} is read once per
 * poll and validated before any slot is read, each response slot is copied out once, and a
 * producer index that claims more responses than the ring holds, or than requests were pushed,
 * breaks the ring with a reason; a broken ring does nothing until it is attached again. Nothing
 * the backend writes makes a method throw or touch memory outside the shared area.
 *
 * <p>A ring never notifies and never blocks: the push and final-check methods return whether an
 * event is owed to the backend, or whether there is work, and the caller acts on it. One thread
 * at a time may use a {@code FrontRing}; its backend may run concurrently on another thread,
 * process or domain. Data-path methods allocate nothing.
 *
 * <pre>{@code
 * int slot = front.claimRequest();               // RING_GET_REQUEST(req_prod_pvt++), zeroed
 * request.wrap(front.buffer(), slot).operation(BLKIF_OP_READ).id(id)...;   // a BlkifRequest flyweight
 * // or: SlotView slot = front.claimRequestSlot(); request.wrap(slot, 0)...;  // one range check per slot
 * if (front.pushRequestsAndCheckNotify()) { notify the backend }
 * ...
 * front.pollResponses(handler, Integer.MAX_VALUE); // RING_COPY_RESPONSE of each
 * if (!front.finalCheckForResponses()) { wait for an event }
 * }</pre>
 */
public final class FrontRing extends FrontRingIndices {
    /** Returned by {@link #claimRequest()} when the ring is full or broken. */
    public static final int NO_SLOT = -1;

    /** 128 bytes after the indices: see {@code RingPadding}. */
    @SuppressWarnings("unused")
    private long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    /**
     * Creates an unattached frontend for a protocol's request and response types. Slots are
     * {@code max(requestLength, responseLength)} bytes, as {@code union X_sring_entry}; a claimed
     * request slot has its first {@code requestLength} bytes zeroed, and a response is copied out
     * as {@code responseLength} bytes, as {@code RING_COPY_RESPONSE} copies {@code sizeof} the type.
     *
     * @param name           name of the ring in messages, for example {@code "vbd-51712"}
     * @param requestLength  {@code sizeof} the request (112 for {@code blkif_request} on x86_64)
     * @param responseLength {@code sizeof} the response (16 for {@code blkif_response} on x86_64)
     */
    public FrontRing(final String name, final int requestLength, final int responseLength) {
        super(name, requestLength, responseLength, Math.max(requestLength, responseLength));
    }

    /**
     * Creates an unattached frontend whose slot is larger than both types: when alignment pads
     * {@code union X_sring_entry} beyond the larger member (a 12-byte, 4-aligned request next to an
     * 8-aligned response makes a 16-byte slot).
     *
     * @param name           name of the ring in messages
     * @param requestLength  {@code sizeof} the request
     * @param responseLength {@code sizeof} the response
     * @param slotLength     {@code sizeof(union X_sring_entry)}, at least the larger of the two
     */
    public FrontRing(final String name, final int requestLength, final int responseLength, final int slotLength) {
        super(name, requestLength, responseLength, slotLength);
    }

    /**
     * Creates an unattached frontend whose requests and responses both fill the slot.
     *
     * @param name       name of the ring in messages
     * @param slotLength size of a slot, {@code sizeof(union X_sring_entry)}
     */
    public FrontRing(final String name, final int slotLength) {
        super(name, slotLength, slotLength, slotLength);
    }

    /**
     * {@code sizeof} the request: the bytes a claim zeroes.
     *
     * @return bytes
     */
    public int requestLength() {
        return produceLength;
    }

    /**
     * {@code sizeof} the response: the bytes each consumed response is copied as.
     *
     * @return bytes
     */
    public int responseLength() {
        return consumeLength;
    }

    /**
     * {@code XEN_FRONT_RING_INIT}: initialises the shared header ({@code SHARED_RING_INIT}: producer
     * indices 0, event indices 1, padding zeroed) and attaches at index 0.
     *
     * @param sharedRing the shared area, 1, 2, 4, 8 or 16 pages, 4-byte aligned
     * @return this
     * @throws IllegalArgumentException if the area is not 2^order pages or no slot fits
     */
    public FrontRing init(final AtomicBuffer sharedRing) {
        wrap(sharedRing);
        // SHARED_RING_INIT: the page may already be visible to a backend from an earlier connection,
        // so indices are written with release stores, after the padding is zeroed (R7).
        sharedRing.setMemory(SringHeader.PVT_OFFSET, SringHeader.PVT_LENGTH + SringHeader.PAD_LENGTH, (byte) 0);
        sharedRing.putIntRelease(SringHeader.REQ_PROD_OFFSET, 0);
        sharedRing.putIntRelease(SringHeader.RSP_PROD_OFFSET, 0);
        sharedRing.putIntRelease(SringHeader.REQ_EVENT_OFFSET, SringHeader.INITIAL_EVENT);
        sharedRing.putIntRelease(SringHeader.RSP_EVENT_OFFSET, SringHeader.INITIAL_EVENT);
        return attachAt(0);
    }

    /**
     * {@code FRONT_RING_ATTACH}: attaches to a shared ring that already carries traffic (a reconnect),
     * with {@code req_prod_pvt = rsp_cons = index}. Writes nothing to the shared area; clears the
     * broken state.
     *
     * @param sharedRing the shared area, 1, 2, 4, 8 or 16 pages, 4-byte aligned
     * @param index      the index both private counters start at
     * @return this
     * @throws IllegalArgumentException if the area is not 2^order pages or no slot fits
     */
    public FrontRing attach(final AtomicBuffer sharedRing, final int index) {
        wrap(sharedRing);
        return attachAt(index);
    }

    private FrontRing attachAt(final int index) {
        reqProdPvt = index;
        rspCons = index;
        reqProdPushed = index;
        rspProdSeen = index;
        return this;
    }

    /**
     * {@code req_prod_pvt}: the index of the next request to produce.
     *
     * @return the index
     */
    public int requestProducer() {
        return reqProdPvt;
    }

    /**
     * {@code rsp_cons}: the index of the next response to consume.
     *
     * @return the index
     */
    public int responseConsumer() {
        return rspCons;
    }

    /**
     * {@code RING_FREE_REQUESTS}: requests that may be produced before the ring is full.
     *
     * @return 0 to {@link #size()}
     */
    public int freeRequests() {
        return size - (reqProdPvt - rspCons);
    }

    /**
     * {@code RING_FULL}: no request may be produced until responses are consumed.
     *
     * @return true when {@code req_prod_pvt - rsp_cons == RING_SIZE}
     */
    public boolean isFull() {
        return reqProdPvt - rspCons == size;
    }

    /**
     * Claims the slot of {@code req_prod_pvt} ({@code RING_GET_REQUEST}), zeroes the request's
     * {@link #requestLength()} bytes so that none goes out unset (R7), and advances {@code req_prod_pvt}. The caller writes the request
     * through {@link #buffer()} at the returned offset, then pushes.
     *
     * @return offset of the slot in {@link #buffer()}, or {@link #NO_SLOT} if the ring is full or broken
     */
    public int claimRequest() {
        if (violation != null || reqProdPvt - rspCons == size) {
            return NO_SLOT;
        }
        final int offset = slotOffset(reqProdPvt);
        partialCopy.slotClaimed(offset);
        zeroClaimedRequest(offset);
        reqProdPvt++;
        return offset;
    }

    /**
     * {@link #claimRequest()}, returning the claimed slot as a buffer whose offsets start at the
     * slot: the request's {@link #requestLength()} bytes, zeroed (R7). Field stores through it are
     * bounds-checked against the slot and cost less than stores through {@link #buffer()} (see
     * {@link SlotView}). The same object for every claim; valid until the next claim, attach or
     * init.
     *
     * @return the claimed slot, or null if the ring is full or broken
     */
    public @Nullable SlotView claimRequestSlot() {
        final int offset = claimRequest();
        return offset == NO_SLOT ? null : claimedSlotView(offset);
    }

    /**
     * Copies a request built in private memory into the slot of {@code req_prod_pvt} and advances
     * {@code req_prod_pvt}: {@code *RING_GET_REQUEST(r, r->req_prod_pvt++) = *request}, the way
     * Linux frontends fill a slot from a shadow copy. The slot's {@link #requestLength()} bytes
     * come from {@code source}, so they are all set (R7) when the private buffer is; the shared page
     * sees one bulk copy instead of a clear and then one store per field.
     *
     * @param source the request, {@link #requestLength()} bytes
     * @param offset offset of the request in {@code source}
     * @return true if copied; false if the ring is full or broken
     */
    public boolean produceRequest(final DirectBuffer source, final int offset) {
        if (violation != null || reqProdPvt - rspCons == size) {
            return false;
        }
        final int slot = slotOffset(reqProdPvt);
        partialCopy.slotClaimed(slot);
        copyIn(slot, source, offset);
        reqProdPvt++;
        return true;
    }

    /**
     * {@code RING_PUSH_REQUESTS}: publishes the produced requests without the notify check.
     */
    public void pushRequests() {
        if (violation != null) {
            return;
        }
        // xen_wmb(); req_prod = req_prod_pvt: the release store orders every slot write before it.
        buffer.putIntRelease(SringHeader.REQ_PROD_OFFSET, reqProdPvt);
        reqProdPushed = reqProdPvt;
    }

    /**
     * {@code RING_PUSH_REQUESTS_AND_CHECK_NOTIFY}: publishes the produced requests and says whether
     * the backend asked for an event ({@code req_event}) at one of them.
     *
     * @return true if the caller must notify the backend; false when broken
     */
    public boolean pushRequestsAndCheckNotify() {
        if (violation != null) {
            return false;
        }
        // The index this frontend last published, kept privately: the C macro reads it back from
        // the shared page, where the backend could have rewritten it to move the notify check.
        final int oldProd = reqProdPushed;
        final int newProd = reqProdPvt;
        // xen_wmb(); req_prod = new; xen_mb(): a volatile store is a release store followed by a
        // full fence, so the backend sees the requests before the index, and the index before we
        // read req_event.
        buffer.putIntVolatile(SringHeader.REQ_PROD_OFFSET, newProd);
        reqProdPushed = newProd;
        // Volatile load after the volatile store: cannot be satisfied before the store is visible.
        final int event = buffer.getIntVolatile(SringHeader.REQ_EVENT_OFFSET);
        return eventInRange(newProd, oldProd, event);
    }

    /**
     * {@code RING_RESPONSE_PROD_OVERFLOW}: whether a response producer index claims more
     * responses than the ring holds.
     *
     * @param rspProd a value of {@code rsp_prod}
     * @return true if {@code rsp_prod - rsp_cons > RING_SIZE}
     */
    public boolean responseProdOverflow(final int rspProd) {
        return above(rspProd - rspCons, size);
    }

    /**
     * {@code RING_HAS_UNCONSUMED_RESPONSES}: reads {@code rsp_prod} once (acquire), validates it and
     * returns how many responses may be consumed. An invalid index breaks the ring.
     *
     * @return {@code rsp_prod - rsp_cons}, 0 to {@link #size()}; 0 when broken
     */
    public int unconsumedResponses() {
        if (violation != null) {
            return 0;
        }
        // rp = rsp_prod; virt_rmb(): the acquire load orders every later slot read after it.
        return accept(buffer.getIntAcquire(SringHeader.RSP_PROD_OFFSET));
    }

    /**
     * Whether responses are waiting ({@link #unconsumedResponses()} {@code > 0}).
     *
     * @return true if at least one response may be consumed
     */
    public boolean hasUnconsumedResponses() {
        return unconsumedResponses() > 0;
    }

    /**
     * Validates an {@code rsp_prod} just read: one combined unsigned test on the hot path, small
     * enough to inline into every poll; the rare failure is {@link #rejectResponseProd}, out of line.
     */
    private int accept(final int rspProd) {
        final int available = rspProd - rspCons;
        // RING_RESPONSE_PROD_OVERFLOW (available > size), or more responses than requests pushed.
        if (above(available, size) || above(available, reqProdPushed - rspCons)) {
            return rejectResponseProd(rspProd);
        }
        rspProdSeen = rspProd;
        return available;
    }

    /** The cold half of {@link #accept}: names the rule {@code rsp_prod} broke (overflow first) and breaks the ring. */
    private int rejectResponseProd(final int rspProd) {
        return reject(responseProdOverflow(rspProd) ? RingViolation.RING_RESPONSE_PROD_OVERFLOW
            : RingViolation.RING_RESPONSE_PROD_AHEAD_OF_REQUESTS, rspProd);
    }

    private int reject(final RingViolation rule, final int rspProd) {
        fail(rule, "rsp_prod=" + u32(rspProd) + " rsp_cons=" + u32(rspCons) + " req_prod=" + u32(reqProdPushed),
            "the backend is ill-behaved; stop using the ring and report it");
        return 0;
    }

    /**
     * {@code RING_COPY_RESPONSE} of the next response, then {@code rsp_cons++}. Consumes only up to
     * the {@code rsp_prod} validated by the last {@link #unconsumedResponses()},
     * {@link #pollResponses} or {@link #finalCheckForResponses()}: the shared index is not read again.
     *
     * @param destination buffer for the private copy
     * @param offset      where the copy starts; {@link #responseLength()} bytes are written
     * @return true if a response was copied; false if none is validated as available or the ring is broken
     */
    public boolean copyResponse(final MutableDirectBuffer destination, final int offset) {
        if (rspCons == rspProdSeen || violation != null) {
            return false;
        }
        copyOut(slotOffset(rspCons), destination, offset);
        rspCons++;
        return true;
    }

    /**
     * Reads {@code rsp_prod} once, then hands a private copy of each available response, up to
     * {@code limit}, to {@code handler} ({@code RING_COPY_RESPONSE}). {@code rsp_cons} advances
     * before each call, so a handler that throws does not see its slot again.
     *
     * @param handler receives each copy
     * @param limit   most responses to consume
     * @return responses consumed; 0 when none or broken
     */
    public int pollResponses(final SlotHandler handler, final int limit) {
        final int count = Math.min(unconsumedResponses(), limit);
        final UnsafeBuffer copy = slotCopy;
        for (int i = 0; i < count; i++) {
            final int index = rspCons;
            copyOutToSlotCopy(slotOffset(index));
            rspCons = index + 1;
            handler.onSlot(copy, index);
        }
        return count;
    }

    /**
     * Reads {@code rsp_prod} once, then hands each available response, up to {@code limit}, to
     * {@code handler} as a {@link SlotCopy} that holds its first {@code prefixLength} bytes (clamped
     * to {@link #responseLength()}); the handler copies more with {@link SlotCopy#copyUpTo(int)}.
     * No byte is read twice (R2); bytes never asked for are never read. {@code rsp_cons} advances
     * before each call, so a handler that throws does not see its slot again.
     *
     * @param handler      receives each partial copy
     * @param prefixLength bytes copied before the call
     * @param limit        most responses to consume
     * @return responses consumed; 0 when none or broken
     */
    public int pollResponses(final SlotCopyHandler handler, final int prefixLength, final int limit) {
        final int count = Math.min(unconsumedResponses(), limit);
        final SlotCopy copy = partialCopy;
        // Clamped once per batch, not once per slot.
        final int prefix = Math.clamp(prefixLength, 0, consumeLength);
        try {
            for (int i = 0; i < count; i++) {
                final int index = rspCons;
                copy.open(slotOffset(index), index, prefix);
                rspCons = index + 1;
                handler.onSlot(copy);
            }
        } finally {
            copy.close();
        }
        return count;
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_RESPONSES}: if no response is waiting, asks the backend for an
     * event at the next one ({@code rsp_event = rsp_cons + 1}) and checks once more, closing the race
     * with a response pushed in between. Call before waiting for an event.
     *
     * @return true if responses are waiting (do not sleep); false if the caller may wait for an event
     */
    public boolean finalCheckForResponses() {
        if (unconsumedResponses() > 0) {
            return true;
        }
        if (violation != null) {
            return false;
        }
        // rsp_event = rsp_cons + 1; xen_mb(): the volatile store and the volatile load that follows
        // cannot be reordered, so either the backend sees the new rsp_event or we see its rsp_prod.
        buffer.putIntVolatile(SringHeader.RSP_EVENT_OFFSET, rspCons + 1);
        return accept(buffer.getIntVolatile(SringHeader.RSP_PROD_OFFSET)) > 0;
    }
}
