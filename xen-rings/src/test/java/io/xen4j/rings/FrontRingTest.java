package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.ring.RingSizes;
import io.xen4j.abi.ring.SringHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class FrontRingTest {
    private static final int SLOT = BlkifTraffic.SLOT;
    private final SringHeader header = new SringHeader();

    @Test
    void initWritesTheSharedHeaderAsSharedRingInitAndNoSlot() {
        final UnsafeBuffer ring = Rings.pages(1);
        ring.setMemory(0, 4096, (byte) 0x5A);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        header.wrap(ring, 0);
        assertEquals(0, header.reqProd());
        assertEquals(0, header.rspProd());
        assertEquals(1, header.reqEvent());
        assertEquals(1, header.rspEvent());
        for (int i = SringHeader.PVT_OFFSET; i < SringHeader.RING_OFFSET; i++) {
            assertEquals(0, ring.getByte(i), "padding byte " + i);
        }
        for (int i = SringHeader.RING_OFFSET; i < 4096; i++) {
            assertEquals((byte) 0x5A, ring.getByte(i), "slot byte " + i);
        }
        assertEquals(32, front.size());
        assertEquals(32, front.freeRequests());
        assertFalse(front.isFull());
        assertEquals(0, front.requestProducer());
        assertEquals(0, front.responseConsumer());
    }

    @Test
    void attachWritesNothingAndStartsBothCountersAtTheIndex() {
        final UnsafeBuffer ring = Rings.pages(2);
        ring.setMemory(0, ring.capacity(), (byte) 0x33);
        final FrontRing front = new FrontRing("t", SLOT).attach(ring, -7);
        for (int i = 0; i < ring.capacity(); i++) {
            assertEquals((byte) 0x33, ring.getByte(i));
        }
        assertEquals(-7, front.requestProducer());
        assertEquals(-7, front.responseConsumer());
        assertEquals(64, front.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void everyPageOrderGetsTheRingSizeOfRingH(final int order) {
        for (final int slot : new int[] {8, 12, 16, 64, 112, 4032}) {
            final FrontRing front = new FrontRing("t", slot).init(Rings.pages(1 << order));
            assertEquals(RingSizes.ringSizeForPageOrder(order, slot), front.size(), "slot=" + slot);
            assertEquals(SringHeader.RING_OFFSET + (front.size() - 1) * slot, front.slotOffset(-1));
            assertEquals(SringHeader.RING_OFFSET, front.slotOffset(front.size()));
        }
    }

    @Test
    void areasThatAreNotPagesOrNotAlignedAreRejected() {
        final FrontRing front = new FrontRing("t", SLOT);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> front.init(new UnsafeBuffer(new byte[3 * 4096])));
        assertTrue(String.valueOf(e.getMessage()).contains("sharedBytes=12288"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> front.init(new UnsafeBuffer(Rings.pages(2), 2, 4096)));
        assertThrows(IllegalArgumentException.class, () -> new FrontRing("t", 0));
        assertThrows(IllegalArgumentException.class, () -> new FrontRing("t", 112, 16, 100));
        assertThrows(IllegalArgumentException.class, () -> new BackRing("t", 12, 8, 65536));
        final FrontRing padded = new FrontRing("t", 12, 8, 16).init(Rings.pages(1));
        assertEquals(RingSizes.ringSize(4096, 16), padded.size());
        assertEquals(16, padded.slotLength());
        assertEquals(SringHeader.RING_OFFSET + 16, padded.slotOffset(1));
        assertThrows(IllegalArgumentException.class, () -> new FrontRing("t", 4033).init(Rings.pages(1)));
    }

    @Test
    void claimZeroesTheSlotAndStopsWhenTheRingIsFullWhichIsNotEmpty() {
        final UnsafeBuffer ring = Rings.pages(1);
        ring.setMemory(0, 4096, (byte) 0x77);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        for (int i = 0; i < 32; i++) {
            final int slot = front.claimRequest();
            assertEquals(front.slotOffset(i), slot);
            for (int b = 0; b < SLOT; b++) {
                assertEquals(0, ring.getByte(slot + b));
            }
        }
        assertTrue(front.isFull());
        assertEquals(0, front.freeRequests());
        assertEquals(FrontRing.NO_SLOT, front.claimRequest());
        assertEquals((byte) 0x77, ring.getByte(SringHeader.RING_OFFSET + 32 * SLOT), "past the last slot");
        front.pushRequests();
        final BackRing back = new BackRing("t", SLOT).init(ring);
        assertEquals(32, back.unconsumedRequests(), "a full ring is not an empty ring");
    }

    @Test
    void pushNotifiesExactlyWhenTheBackendAskedForAnEventInThePushedRange() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        header.wrap(ring, 0);
        front.claimRequest();
        assertTrue(front.pushRequestsAndCheckNotify(), "req_event=1 after init: event at the first request");
        front.claimRequest();
        front.claimRequest();
        assertFalse(front.pushRequestsAndCheckNotify(), "req_event=1 is behind the new requests 2..3");
        header.reqEvent(4);
        front.claimRequest();
        assertTrue(front.pushRequestsAndCheckNotify(), "req_event=4 is the request pushed now");
        header.reqEvent(9);
        front.claimRequest();
        assertFalse(front.pushRequestsAndCheckNotify(), "req_event=9 is ahead");
        assertFalse(front.pushRequestsAndCheckNotify(), "nothing new pushed");
        assertEquals(5, header.reqProd());
    }

    @Test
    void aBackendThatRewritesReqProdDoesNotMoveTheNotifyCheck() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        header.wrap(ring, 0);
        front.claimRequest();
        front.claimRequest();
        front.pushRequestsAndCheckNotify();
        // The backend asks for an event at request 3 and rewrites req_prod: as old index, 3 would
        // put the event outside the pushed range, 0 would put 1..2 (already pushed) inside it.
        header.reqEvent(3);
        header.reqProd(3);
        front.claimRequest();
        assertTrue(front.pushRequestsAndCheckNotify(), "request 3 pushed now: the event is in range whatever req_prod said");
        header.reqEvent(2);
        header.reqProd(0);
        front.claimRequest();
        assertFalse(front.pushRequestsAndCheckNotify(), "request 2 was pushed before: no event whatever req_prod said");
        assertEquals(4, header.reqProd());
    }

    @Test
    void finalCheckArmsTheEventAtTheNextResponseAndSeesOneThatRaced() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        header.wrap(ring, 0);
        front.claimRequest();
        front.claimRequest();
        front.pushRequests();
        assertFalse(front.finalCheckForResponses());
        assertEquals(1, header.rspEvent());
        header.rspProd(1);
        assertTrue(front.finalCheckForResponses());
        assertTrue(front.copyResponse(new UnsafeBuffer(new byte[SLOT]), 0));
        assertFalse(front.finalCheckForResponses());
        assertEquals(2, header.rspEvent(), "rsp_event = rsp_cons + 1");
    }

    @Test
    void consumptionStopsAtTheValidatedIndexAndDoesNotReadItAgain() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        for (int i = 0; i < 4; i++) {
            front.claimRequest();
        }
        front.pushRequests();
        header.wrap(ring, 0).rspProd(2);
        assertEquals(2, front.unconsumedResponses());
        header.rspProd(4);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[SLOT]);
        assertTrue(front.copyResponse(copy, 0));
        assertTrue(front.copyResponse(copy, 0));
        assertFalse(front.copyResponse(copy, 0), "rsp_prod is read once per poll");
        assertEquals(2, front.unconsumedResponses());
        assertEquals(2, front.pollResponses((c, i) -> { }, 5));
        assertEquals(4, front.responseConsumer());
    }

    /** Hostile response producer indices, relative to {@code rsp_cons}, with a full ring outstanding. */
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

    @ParameterizedTest(name = "rsp_cons={0} rsp_prod=rsp_cons+{1} valid={2}")
    @MethodSource("edgeIndices")
    void responseProducerEdgeIndices(final String start, final String delta, final boolean valid) {
        final int s = (int) Long.parseLong(start);
        final int d = (int) Long.parseLong(delta);
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("vbd-5", SLOT).attach(ring, s);
        while (front.claimRequest() != FrontRing.NO_SLOT) {
            // fill the ring: every one of its 32 slots is outstanding
        }
        front.pushRequests();
        header.wrap(ring, 0).rspProd(s + d);
        assertEquals(front.responseProdOverflow(s + d), !valid);
        final int[] seen = {0};
        final int got = front.pollResponses((copy, index) -> seen[0]++, Integer.MAX_VALUE);
        if (valid) {
            assertEquals(d, got);
            assertEquals(d, seen[0]);
            assertFalse(front.isBroken());
            assertEquals(s + d, front.responseConsumer());
            assertEquals(d, front.freeRequests());
        } else {
            assertEquals(0, got);
            assertTrue(front.isBroken());
            assertEquals(RingViolation.RING_RESPONSE_PROD_OVERFLOW, front.violation());
            assertTrue(front.brokenReason().contains("ring=vbd-5 rule=RING_RESPONSE_PROD_OVERFLOW"), front.brokenReason());
            assertTrue(front.brokenReason().contains("rsp_prod=" + Integer.toUnsignedString(s + d)), front.brokenReason());
            assertEquals(s, front.responseConsumer());
        }
    }

    @Test
    void moreResponsesThanRequestsPushedBreakTheRing() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("vbd-5", SLOT).init(ring);
        for (int i = 0; i < 3; i++) {
            front.claimRequest();
        }
        front.pushRequests();
        front.claimRequest();
        header.wrap(ring, 0).rspProd(4);
        assertFalse(front.responseProdOverflow(4), "within the ring size");
        assertEquals(0, front.unconsumedResponses());
        assertEquals(RingViolation.RING_RESPONSE_PROD_AHEAD_OF_REQUESTS, front.violation());
        assertTrue(front.brokenReason().contains("req_prod=3"), front.brokenReason());
    }

    @Test
    void aBrokenRingDoesNothingUntilAttachedAgain() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        header.wrap(ring, 0).rspProd(1000);
        assertFalse(front.hasUnconsumedResponses());
        assertTrue(front.isBroken());
        final String reason = front.brokenReason();
        header.rspProd(2000);
        front.unconsumedResponses();
        assertEquals(reason, front.brokenReason(), "the first violation is kept");
        assertEquals(FrontRing.NO_SLOT, front.claimRequest());
        assertFalse(front.pushRequestsAndCheckNotify());
        front.pushRequests();
        assertEquals(0, header.reqProd());
        assertFalse(front.finalCheckForResponses());
        assertEquals(1, header.rspEvent());
        assertEquals(0, front.pollResponses((c, i) -> { }, 10));
        header.rspProd(0);
        front.attach(ring, 0);
        assertFalse(front.isBroken());
        assertNull(front.violation());
        assertEquals("", front.brokenReason());
    }

    @Test
    void theDataPathAllocatesNothing() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", SLOT).init(ring);
        final BackRing back = new BackRing("t", SLOT).init(ring);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[SLOT]);
        final SlotHandler handler = (c, i) -> { };
        final Runnable round = () -> {
            for (int i = 0; i < 8; i++) {
                front.claimRequest();
            }
            front.pushRequestsAndCheckNotify();
            back.pollRequests(handler, 4);
            while (back.copyRequest(copy, 0)) {
                // drain
            }
            while (back.claimResponse() != BackRing.NO_SLOT) {
                // answer
            }
            back.pushResponsesAndCheckNotify();
            back.finalCheckForRequests();
            front.pollResponses(handler, 3);
            front.unconsumedResponses();
            while (front.copyResponse(copy, 0)) {
                // drain
            }
            front.finalCheckForResponses();
        };
        Allocations.assertNone("front and back ring round", 200_000, round);
    }
}
