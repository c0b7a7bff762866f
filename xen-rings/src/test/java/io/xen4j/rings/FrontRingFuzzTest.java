package io.xen4j.rings;

import static io.xen4j.rings.FuzzSupport.above;
import static io.xen4j.rings.FuzzSupport.check;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.abi.ring.RingSizes;
import io.xen4j.abi.ring.SringHeader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fuzzes the frontend against a hostile backend: arbitrary {@code rsp_prod}, event indices, index
 * start values and slot contents, interleaved with every frontend operation. A model of the
 * frontend's private indices predicts each result; every overflow must be detected
 * (R5: {@code RING_RESPONSE_PROD_OVERFLOW}, and more responses than requests pushed), nothing may
 * be read or written outside the ring (bounds-checked view plus guard bytes), and nothing may throw.
 * {@code mvn verify} runs the seeds in {@code FrontRingFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
final class FrontRingFuzzTest {
    private static final int[] SLOTS = {4, 8, 12, 16, 64, 112, 300, 1000, 4032};

    @FuzzTest(maxDuration = "60s")
    void hostileBackend(final FuzzedDataProvider data) {
        final int order = data.consumeInt(0, RingSizes.MAX_RING_PAGE_ORDER);
        final int request = data.pickValue(SLOTS);
        final int response = data.pickValue(SLOTS);
        final int slot = Math.max(request, response);
        final FuzzSupport memory = new FuzzSupport(RingSizes.ringBytes(order), data);
        final UnsafeBuffer ring = memory.area;
        final FrontRing front = new FrontRing("fuzz.front", request, response);
        check(front.slotLength() == slot && front.requestLength() == request && front.responseLength() == response,
            "lengths");
        final Model model = new Model();
        if (data.consumeBoolean()) {
            front.init(ring);
            model.attach(0);
            check(SringHeader.reqEvent(ring, 0) == 1 && SringHeader.rspEvent(ring, 0) == 1, "init events");
        } else {
            final int start = data.consumeInt();
            front.attach(ring, start);
            model.attach(start);
        }
        final int size = front.size();
        check(size == RingSizes.ringSize(ring.capacity(), slot), "ring size");
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[response]);
        final int[] handled = {0};
        final SlotHandler handler = (c, index) -> {
            check(index == model.rspCons + handled[0], "handler index");
            check(c.compareTo(new UnsafeBuffer(ring, front.slotOffset(index), response)) == 0, "copy differs from slot");
            handled[0]++;
        };
        for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
            switch (data.consumeInt(0, 10)) {
                case 0 -> ring.putInt(SringHeader.RSP_PROD_OFFSET, FuzzSupport.hostileIndex(data, model.rspCons));
                case 1 -> ring.putInt(data.pickValue(new int[] {SringHeader.REQ_EVENT_OFFSET,
                    SringHeader.RSP_EVENT_OFFSET, SringHeader.REQ_PROD_OFFSET}), FuzzSupport.hostileIndex(data, model.reqProdPvt));
                case 2 -> {
                    final byte[] junk = data.consumeBytes(slot);
                    ring.putBytes(front.slotOffset(data.consumeInt()), junk);
                }
                case 3 -> {
                    final int n = data.consumeInt(0, size + 2);
                    for (int i = 0; i < n; i++) {
                        final int offset = front.claimRequest();
                        if (model.broken || model.reqProdPvt - model.rspCons == size) {
                            check(offset == FrontRing.NO_SLOT, "claim on a full or broken ring");
                            continue;
                        }
                        check(offset == front.slotOffset(model.reqProdPvt), "claimed slot");
                        for (int b = 0; b < request; b++) {
                            check(ring.getByte(offset + b) == 0, "claimed slot not zeroed");
                        }
                        ring.putBytes(offset, data.consumeBytes(request));
                        model.reqProdPvt++;
                    }
                }
                case 4 -> {
                    final boolean notify;
                    final int event = SringHeader.reqEvent(ring, 0);
                    final int old = SringHeader.reqProd(ring, 0);
                    if (data.consumeBoolean()) {
                        notify = front.pushRequestsAndCheckNotify();
                    } else {
                        front.pushRequests();
                        notify = false;
                    }
                    if (!model.broken) {
                        model.reqPushed = model.reqProdPvt;
                        check(SringHeader.reqProd(ring, 0) == model.reqProdPvt, "req_prod published");
                        if (notify) {
                            check(Integer.compareUnsigned(model.reqProdPvt - event, model.reqProdPvt - old) < 0,
                                "notify without an event in range");
                        }
                    } else {
                        check(!notify && SringHeader.reqProd(ring, 0) == old, "a broken ring pushed");
                    }
                }
                case 5 -> {
                    final int limit = data.consumeInt(0, size + 1);
                    final int expected = model.poll(ring, size, limit);
                    handled[0] = 0;
                    final int got = front.pollResponses(handler, limit);
                    check(got == expected && handled[0] == got, "poll returned " + got + " expected " + expected);
                    model.rspCons += got;
                }
                case 6 -> {
                    final int expected = model.poll(ring, size, Integer.MAX_VALUE);
                    check(front.unconsumedResponses() == expected, "unconsumed responses");
                    final int n = data.consumeInt(0, size + 1);
                    for (int i = 0; i < n; i++) {
                        final boolean copied = front.copyResponse(copy, 0);
                        check(copied == (!model.broken && model.rspCons != model.rspProdSeen), "copyResponse");
                        if (copied) {
                            check(copy.compareTo(new UnsafeBuffer(ring, front.slotOffset(model.rspCons), response)) == 0,
                                "copy differs");
                            model.rspCons++;
                        }
                    }
                }
                case 7 -> {
                    final int eventBefore = SringHeader.rspEvent(ring, 0);
                    final boolean expectedFirst = model.poll(ring, size, Integer.MAX_VALUE) > 0;
                    boolean expected = expectedFirst;
                    final boolean brokenFirst = model.broken;
                    final boolean got;
                    if (!expectedFirst && !brokenFirst) {
                        got = front.finalCheckForResponses();
                        check(SringHeader.rspEvent(ring, 0) == model.rspCons + 1, "rsp_event = rsp_cons + 1");
                        expected = model.poll(ring, size, Integer.MAX_VALUE) > 0;
                    } else {
                        got = front.finalCheckForResponses();
                        check(SringHeader.rspEvent(ring, 0) == eventBefore, "rsp_event untouched");
                    }
                    check(got == expected, "final check");
                }
                case 8 -> {
                    check(front.freeRequests() == size - (model.reqProdPvt - model.rspCons), "free requests");
                    check(front.isFull() == (model.reqProdPvt - model.rspCons == size), "full");
                    check(front.responseProdOverflow(SringHeader.rspProd(ring, 0))
                        == above(SringHeader.rspProd(ring, 0) - model.rspCons, size), "RING_RESPONSE_PROD_OVERFLOW");
                }
                case 9 -> {
                    if (data.consumeBoolean()) {
                        final int index = FuzzSupport.hostileIndex(data, model.reqProdPvt);
                        front.attach(ring, index);
                        model.attach(index);
                    } else {
                        final UnsafeBuffer staged = new UnsafeBuffer(new byte[request + 3]);
                        staged.putBytes(0, data.consumeBytes(staged.capacity()));
                        final boolean produced = front.produceRequest(staged, 3);
                        check(produced == (!model.broken && model.reqProdPvt - model.rspCons != size), "produceRequest");
                        if (produced) {
                            check(new UnsafeBuffer(ring, front.slotOffset(model.reqProdPvt), request).compareTo(
                                new UnsafeBuffer(staged, 3, request)) == 0, "request copied in");
                            model.reqProdPvt++;
                        }
                    }
                }
                default -> {
                    check(front.hasUnconsumedResponses() == (model.poll(ring, size, Integer.MAX_VALUE) > 0), "has");
                }
            }
            check(front.requestProducer() == model.reqProdPvt, "req_prod_pvt");
            check(front.responseConsumer() == model.rspCons, "rsp_cons");
            check(!above(model.reqProdPvt - model.rspCons, size), "more requests outstanding than slots");
            check(front.isBroken() == model.broken, "broken state: " + front.brokenReason());
            check(!model.broken || (front.violation() == model.violation && front.brokenReason().contains("ring=fuzz.front")),
                "violation " + front.violation() + " expected " + model.violation);
            memory.assertGuardsIntact();
        }
    }

    /** What the frontend's private state must be. */
    private static final class Model {
        int reqProdPvt;
        int rspCons;
        int reqPushed;
        int rspProdSeen;
        boolean broken;
        RingViolation violation = RingViolation.RING_RESPONSE_PROD_OVERFLOW;

        void attach(final int index) {
            reqProdPvt = index;
            rspCons = index;
            reqPushed = index;
            rspProdSeen = index;
            broken = false;
        }

        /** Validates the current rsp_prod as the ring will, and returns how many a poll consumes. */
        int poll(final UnsafeBuffer ring, final int size, final int limit) {
            if (broken) {
                return 0;
            }
            final int rspProd = SringHeader.rspProd(ring, 0);
            final int available = rspProd - rspCons;
            if (above(available, size)) {
                broken = true;
                violation = RingViolation.RING_RESPONSE_PROD_OVERFLOW;
                return 0;
            }
            if (above(available, reqPushed - rspCons)) {
                broken = true;
                violation = RingViolation.RING_RESPONSE_PROD_AHEAD_OF_REQUESTS;
                return 0;
            }
            rspProdSeen = rspProd;
            return Math.min(available, limit);
        }
    }
}
