package io.xen4j.rings;

import static io.xen4j.rings.FuzzSupport.above;
import static io.xen4j.rings.FuzzSupport.check;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.abi.ring.RingSizes;
import io.xen4j.abi.ring.SringHeader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fuzzes the backend against a hostile frontend: arbitrary {@code req_prod}, event indices, start
 * indices and slot contents, interleaved with every backend operation, against a model of the
 * backend's private indices. Every overflow must be detected (R3 {@code RING_REQUEST_PROD_OVERFLOW},
 * a producer behind the consumer), consumption must stop at {@code RING_REQUEST_CONS_OVERFLOW} (R4),
 * nothing may be read or written outside the ring and nothing may throw.
 */
final class BackRingFuzzTest {
    private static final int[] SLOTS = {4, 8, 12, 16, 64, 112, 300, 1000, 4032};

    @FuzzTest(maxDuration = "60s")
    void hostileFrontend(final FuzzedDataProvider data) {
        final int order = data.consumeInt(0, RingSizes.MAX_RING_PAGE_ORDER);
        final int request = data.pickValue(SLOTS);
        final int response = data.pickValue(SLOTS);
        final int slot = Math.max(request, response);
        final FuzzSupport memory = new FuzzSupport(RingSizes.ringBytes(order), data);
        final UnsafeBuffer ring = memory.area;
        final BackRing back = new BackRing("fuzz.back", request, response);
        check(back.slotLength() == slot && back.requestLength() == request && back.responseLength() == response,
            "lengths");
        final Model model = new Model();
        final int start = data.consumeBoolean() ? 0 : data.consumeInt();
        final byte[] before = new byte[ring.capacity()];
        ring.getBytes(0, before);
        back.attach(ring, start);
        check(new UnsafeBuffer(before).compareTo(ring) == 0, "attach wrote to the shared ring");
        model.attach(start);
        final int size = back.size();
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[request]);
        final int[] handled = {0};
        final SlotHandler handler = (c, index) -> {
            check(index == model.reqCons + handled[0], "handler index");
            check(c.compareTo(new UnsafeBuffer(ring, back.slotOffset(index), request)) == 0, "copy differs from slot");
            handled[0]++;
        };
        for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
            switch (data.consumeInt(0, 10)) {
                case 0 -> ring.putInt(SringHeader.REQ_PROD_OFFSET, FuzzSupport.hostileIndex(data, model.reqCons));
                case 1 -> ring.putInt(data.pickValue(new int[] {SringHeader.REQ_EVENT_OFFSET,
                    SringHeader.RSP_EVENT_OFFSET, SringHeader.RSP_PROD_OFFSET}),
                    FuzzSupport.hostileIndex(data, model.rspProdPvt));
                case 2 -> ring.putBytes(back.slotOffset(data.consumeInt()), data.consumeBytes(slot));
                case 3 -> {
                    final int limit = data.consumeInt(0, size + 1);
                    final int expected = model.poll(ring, size, limit);
                    handled[0] = 0;
                    final int got = back.pollRequests(handler, limit);
                    check(got == expected && handled[0] == got, "poll returned " + got + " expected " + expected);
                    model.reqCons += got;
                }
                case 4 -> {
                    final int expected = model.poll(ring, size, Integer.MAX_VALUE);
                    check(back.unconsumedRequests() == expected, "unconsumed requests");
                    final int n = data.consumeInt(0, size + 1);
                    for (int i = 0; i < n; i++) {
                        final boolean may = !model.broken && model.reqCons != model.reqProdSeen
                            && Integer.compareUnsigned(model.reqCons - model.rspProdPvt, size) < 0;
                        check(back.copyRequest(copy, 0) == may, "copyRequest");
                        if (may) {
                            check(copy.compareTo(new UnsafeBuffer(ring, back.slotOffset(model.reqCons), request)) == 0,
                                "copy differs");
                            model.reqCons++;
                        }
                    }
                }
                case 5 -> {
                    final int n = data.consumeInt(0, size + 1);
                    for (int i = 0; i < n; i++) {
                        final int offset = back.claimResponse();
                        if (model.broken || model.rspProdPvt == model.reqCons) {
                            check(offset == BackRing.NO_SLOT, "claim with nothing to answer");
                            continue;
                        }
                        check(offset == back.slotOffset(model.rspProdPvt), "claimed slot");
                        for (int b = 0; b < response; b++) {
                            check(ring.getByte(offset + b) == 0, "claimed slot not zeroed");
                        }
                        ring.putBytes(offset, data.consumeBytes(response));
                        model.rspProdPvt++;
                    }
                }
                case 6 -> {
                    final int event = SringHeader.rspEvent(ring, 0);
                    final int old = SringHeader.rspProd(ring, 0);
                    final boolean notify;
                    if (data.consumeBoolean()) {
                        notify = back.pushResponsesAndCheckNotify();
                    } else {
                        back.pushResponses();
                        notify = false;
                    }
                    if (!model.broken) {
                        check(SringHeader.rspProd(ring, 0) == model.rspProdPvt, "rsp_prod published");
                        if (notify) {
                            check(Integer.compareUnsigned(model.rspProdPvt - event, model.rspProdPvt - old) < 0,
                                "notify without an event in range");
                        }
                    } else {
                        check(!notify && SringHeader.rspProd(ring, 0) == old, "a broken ring pushed");
                    }
                }
                case 7 -> {
                    final int eventBefore = SringHeader.reqEvent(ring, 0);
                    final boolean first = model.poll(ring, size, Integer.MAX_VALUE) > 0;
                    final boolean got = back.finalCheckForRequests();
                    if (first || model.broken) {
                        check(got == first, "final check");
                        check(SringHeader.reqEvent(ring, 0) == eventBefore, "req_event untouched");
                    } else {
                        check(SringHeader.reqEvent(ring, 0) == model.reqCons + 1, "req_event = req_cons + 1");
                        check(got == (model.poll(ring, size, Integer.MAX_VALUE) > 0), "final check again");
                    }
                }
                case 8 -> {
                    final int prod = SringHeader.reqProd(ring, 0);
                    check(back.requestProdOverflow(prod) == above(prod - model.rspProdPvt, size), "PROD_OVERFLOW");
                    final int cons = data.consumeInt();
                    check(back.requestConsOverflow(cons) == (Integer.compareUnsigned(cons - model.rspProdPvt, size) >= 0),
                        "CONS_OVERFLOW");
                }
                case 9 -> {
                    final int index = FuzzSupport.hostileIndex(data, model.reqCons);
                    back.attach(ring, index);
                    model.attach(index);
                }
                default -> check(back.hasUnconsumedRequests() == (model.poll(ring, size, Integer.MAX_VALUE) > 0), "has");
            }
            check(back.requestConsumer() == model.reqCons, "req_cons");
            check(back.responseProducer() == model.rspProdPvt, "rsp_prod_pvt");
            check(!above(model.reqCons - model.rspProdPvt, size), "consumed past RING_REQUEST_CONS_OVERFLOW");
            check(back.isBroken() == model.broken, "broken state: " + back.brokenReason());
            check(!model.broken || (back.violation() == model.violation && back.brokenReason().contains("ring=fuzz.back")),
                "violation " + back.violation() + " expected " + model.violation);
            memory.assertGuardsIntact();
        }
    }

    /** What the backend's private state must be. */
    private static final class Model {
        int rspProdPvt;
        int reqCons;
        int reqProdSeen;
        boolean broken;
        RingViolation violation = RingViolation.RING_REQUEST_PROD_OVERFLOW;

        void attach(final int index) {
            rspProdPvt = index;
            reqCons = index;
            reqProdSeen = index;
            broken = false;
        }

        int poll(final UnsafeBuffer ring, final int size, final int limit) {
            if (broken) {
                return 0;
            }
            final int reqProd = SringHeader.reqProd(ring, 0);
            if (above(reqProd - rspProdPvt, size)) {
                broken = true;
                violation = RingViolation.RING_REQUEST_PROD_OVERFLOW;
                return 0;
            }
            if (above(reqProd - reqCons, reqProd - rspProdPvt)) {
                broken = true;
                violation = RingViolation.RING_REQUEST_PROD_BEHIND_CONSUMER;
                return 0;
            }
            reqProdSeen = reqProd;
            final int requests = reqProd - reqCons;
            final int room = size - (reqCons - rspProdPvt);
            return Math.min(Integer.compareUnsigned(requests, room) < 0 ? requests : room, limit);
        }
    }
}
