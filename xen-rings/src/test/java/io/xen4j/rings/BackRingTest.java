package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.ring.SringHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class BackRingTest {
    private static final int SLOT = BlkifTraffic.SLOT;
    private final SringHeader header = new SringHeader();

    @Test
    void initAndAttachWriteNothing() {
        final UnsafeBuffer ring = Rings.pages(4);
        ring.setMemory(0, ring.capacity(), (byte) 0x11);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        assertEquals(128, back.size());
        back.attach(ring, 0x7FFF_FFFF);
        assertEquals(0x7FFF_FFFF, back.requestConsumer());
        assertEquals(0x7FFF_FFFF, back.responseProducer());
        for (int i = 0; i < ring.capacity(); i++) {
            assertEquals((byte) 0x11, ring.getByte(i));
        }
    }

    @Test
    void requestsAreConsumedUpToTheRingSizeOwedAndResponsesOnlyForConsumedRequests() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        final BlkifTraffic traffic = new BlkifTraffic();
        assertEquals(BackRing.NO_SLOT, back.claimResponse(), "nothing consumed, nothing to answer");
        for (int i = 0; i < 32; i++) {
            traffic.fillRequest(ring, front.claimRequest(), i);
        }
        front.pushRequests();
        final int[] next = {0};
        assertEquals(32, back.pollRequests((copy, index) -> {
            assertEquals(next[0], index);
            assertEquals(0, BlkifTraffic.checkRequest(copy, 0, next[0]++));
        }, Integer.MAX_VALUE));
        assertTrue(back.requestConsOverflow(back.requestConsumer()), "32 responses owed");
        assertFalse(back.requestConsOverflow(back.requestConsumer() - 1));
        header.wrap(ring, 0).reqProd(32);
        assertEquals(0, back.unconsumedRequests());
        for (int i = 0; i < 32; i++) {
            traffic.fillResponse(ring, back.claimResponse(), i);
        }
        assertEquals(BackRing.NO_SLOT, back.claimResponse());
        assertTrue(back.pushResponsesAndCheckNotify(), "rsp_event=1 after init");
        final int[] got = {0};
        assertEquals(32, front.pollResponses((copy, index) -> assertEquals(0,
            BlkifTraffic.checkResponse(copy, 0, got[0]++)), 100));
    }

    @Test
    void consumptionStopsAtRequestConsOverflowEvenIfTheFrontendPushesMore() {
        final UnsafeBuffer ring = Rings.pages(1);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        header.wrap(ring, 0).reqProd(20);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[SLOT]);
        assertEquals(20, back.unconsumedRequests());
        for (int i = 0; i < 20; i++) {
            assertTrue(back.copyRequest(copy, 0));
        }
        for (int i = 0; i < 10; i++) {
            back.claimResponse();
        }
        back.pushResponses();
        header.reqProd(42);
        assertEquals(22, back.unconsumedRequests());
        int consumed = 0;
        while (back.copyRequest(copy, 0)) {
            consumed++;
        }
        assertEquals(22, consumed);
        assertTrue(back.requestConsOverflow(back.requestConsumer()));
        assertFalse(back.isBroken());
    }

    @Test
    void finalCheckArmsTheEventAtTheNextRequest() {
        final UnsafeBuffer ring = Rings.pages(1);
        new FrontRing("t", SLOT).init(ring);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        header.wrap(ring, 0);
        assertFalse(back.finalCheckForRequests());
        assertEquals(1, header.reqEvent());
        header.reqProd(3);
        assertTrue(back.finalCheckForRequests());
        back.pollRequests((c, i) -> { }, 3);
        assertFalse(back.finalCheckForRequests());
        assertEquals(4, header.reqEvent());
    }

    @Test
    void pushNotifiesExactlyWhenTheFrontendAskedForAnEventInThePushedRange() {
        final UnsafeBuffer ring = Rings.pages(1);
        new FrontRing("t", SLOT).init(ring);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        header.wrap(ring, 0).reqProd(10);
        back.pollRequests((c, i) -> { }, 10);
        header.rspEvent(3);
        back.claimResponse();
        assertFalse(back.pushResponsesAndCheckNotify(), "event at 3, pushed 1");
        back.claimResponse();
        back.claimResponse();
        assertTrue(back.pushResponsesAndCheckNotify(), "event at 3, pushed 2..3");
        header.rspEvent(3);
        back.claimResponse();
        assertFalse(back.pushResponsesAndCheckNotify(), "event at 3 is behind");
    }

    @Test
    void aFrontendThatRewritesRspProdDoesNotMoveTheNotifyCheck() {
        final UnsafeBuffer ring = Rings.pages(1);
        new FrontRing("t", SLOT).init(ring);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        header.wrap(ring, 0).reqProd(10);
        back.pollRequests((c, i) -> { }, 10);
        back.claimResponse();
        back.claimResponse();
        back.pushResponsesAndCheckNotify();
        // The frontend asks for an event at response 3 and rewrites rsp_prod: as old index, 3 would
        // put the event outside the pushed range, 0 would put 1..2 (already pushed) inside it.
        header.rspEvent(3);
        header.rspProd(3);
        back.claimResponse();
        assertTrue(back.pushResponsesAndCheckNotify(), "response 3 pushed now: the event is in range whatever rsp_prod said");
        header.rspEvent(2);
        header.rspProd(0);
        back.claimResponse();
        assertFalse(back.pushResponsesAndCheckNotify(), "response 2 was pushed before: no event whatever rsp_prod said");
        assertEquals(4, header.rspProd());
    }

    static Stream<Arguments> edgeIndices() {
        final List<Arguments> cases = new ArrayList<>();
        final long[] starts = {0, 1, 31, 32, 33, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
        final long[][] deltas = {{0, 1}, {1, 1}, {31, 1}, {32, 1}, {33, 0}, {0x7FFF_FFFFL, 0}, {0x8000_0000L, 0},
            {0xFFFF_FFFFL, 0}};
        for (final long start : starts) {
            for (final long[] delta : deltas) {
                cases.add(Arguments.of(Long.toString(start), Long.toString(delta[0]), delta[1] == 1));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "req_cons={0} req_prod=req_cons+{1} valid={2}")
    @MethodSource("edgeIndices")
    void requestProducerEdgeIndices(final String start, final String delta, final boolean valid) {
        final int s = (int) Long.parseLong(start);
        final int d = (int) Long.parseLong(delta);
        final UnsafeBuffer ring = Rings.pages(1);
        final BackRing back = new BackRing("vbd-3-51712", SLOT).attach(ring, s);
        header.wrap(ring, 0).reqProd(s + d);
        assertEquals(!valid, back.requestProdOverflow(s + d));
        final int[] seen = {0};
        final int got = back.pollRequests((copy, index) -> seen[0]++, Integer.MAX_VALUE);
        if (valid) {
            assertEquals(d, got);
            assertEquals(d, seen[0]);
            assertEquals(s + d, back.requestConsumer());
            assertFalse(back.isBroken());
        } else {
            assertEquals(0, got);
            assertEquals(RingViolation.RING_REQUEST_PROD_OVERFLOW, back.violation());
            assertTrue(back.brokenReason().startsWith("ring=vbd-3-51712 rule=RING_REQUEST_PROD_OVERFLOW (SECURITY-RULES R3)"
                + " req_prod=" + Integer.toUnsignedString(s + d)), back.brokenReason());
            assertEquals(s, back.requestConsumer());
            assertEquals(BackRing.NO_SLOT, back.claimResponse());
        }
    }

    @Test
    void aRequestProducerMovedBehindTheConsumerBreaksTheRing() {
        final UnsafeBuffer ring = Rings.pages(1);
        final BackRing back = new BackRing("t", SLOT).attach(ring, -3);
        header.wrap(ring, 0).reqProd(5);
        assertEquals(8, back.pollRequests((c, i) -> { }, 100));
        back.claimResponse();
        back.claimResponse();
        header.reqProd(4);
        assertFalse(back.requestProdOverflow(4), "still within RING_SIZE of rsp_prod_pvt");
        assertEquals(0, back.unconsumedRequests());
        assertEquals(RingViolation.RING_REQUEST_PROD_BEHIND_CONSUMER, back.violation());
        assertTrue(back.brokenReason().contains("req_prod=4 req_cons=5 rsp_prod_pvt=4294967295"), back.brokenReason());
    }

    @Test
    void requestsAndResponsesBuiltInPrivateMemoryAreCopiedIntoTheirSlots() {
        final UnsafeBuffer ring = Rings.pages(1);
        ring.setMemory(0, 4096, (byte) 0x5A);
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final BackRing back = new BackRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final BlkifTraffic traffic = new BlkifTraffic();
        final UnsafeBuffer request = new UnsafeBuffer(new byte[BlkifTraffic.REQUEST + 8]);
        final UnsafeBuffer response = new UnsafeBuffer(new byte[BlkifTraffic.RESPONSE + 8]);
        assertFalse(back.produceResponse(response, 8), "nothing consumed, nothing to answer");
        for (int i = 0; i < 32; i++) {
            request.setMemory(0, request.capacity(), (byte) 0);
            traffic.fillRequest(request, 8, i);
            assertTrue(front.produceRequest(request, 8));
        }
        assertFalse(front.produceRequest(request, 8), "full");
        front.pushRequests();
        final int[] next = {0};
        assertEquals(32, back.pollRequests((copy, index) -> {
            assertEquals(0, BlkifTraffic.checkRequest(copy, 0, next[0]));
            response.setMemory(0, response.capacity(), (byte) 0);
            traffic.fillResponse(response, 8, next[0]++);
            assertTrue(back.produceResponse(response, 8));
        }, 100));
        assertFalse(back.produceResponse(response, 8));
        back.pushResponses();
        final int[] got = {0};
        assertEquals(32, front.pollResponses((copy, index) -> assertEquals(0,
            BlkifTraffic.checkResponse(copy, 0, got[0]++)), 100));
        assertEquals((byte) 0x5A, ring.getByte(SringHeader.RING_OFFSET + 32 * BlkifTraffic.SLOT), "past the slots");
        header.wrap(ring, 0).rspProd(1000);
        front.unconsumedResponses();
        assertFalse(front.produceRequest(request, 8), "broken");
    }

    @Test
    void theResponseSlotIsZeroedBeforeTheCallerWritesIt() {
        final UnsafeBuffer ring = Rings.pages(1);
        ring.setMemory(0, 4096, (byte) 0xEE);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        header.wrap(ring, 0).reqProd(1);
        back.pollRequests((c, i) -> { }, 1);
        final int slot = back.claimResponse();
        for (int b = 0; b < SLOT; b++) {
            assertEquals(0, ring.getByte(slot + b), "R7: no byte of the response slot goes out unset");
        }
    }
}
