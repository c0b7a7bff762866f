package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xen4j.abi.ring.SringHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The consumers read every byte of a slot exactly once and the peer's producer index once per
 * poll (R1, R2: no double fetch), counted by a buffer that records every read.
 */
final class SlotCopyOnceTest {
    /** Counts reads per byte offset; only the read methods the rings may use are overridden. */
    static final class CountingBuffer extends UnsafeBuffer {
        final int[] reads;

        CountingBuffer(final ByteBuffer memory) {
            super(memory);
            reads = new int[memory.capacity()];
        }

        private void count(final int index, final int length) {
            for (int i = index; i < index + length; i++) {
                reads[i]++;
            }
        }

        @Override
        public void getBytes(final int index, final MutableDirectBuffer dst, final int dstIndex, final int length) {
            count(index, length);
            super.getBytes(index, dst, dstIndex, length);
        }

        @Override
        public int getIntAcquire(final int index) {
            count(index, 4);
            return super.getIntAcquire(index);
        }

        @Override
        public int getIntVolatile(final int index) {
            count(index, 4);
            return super.getIntVolatile(index);
        }

        @Override
        public int getInt(final int index) {
            count(index, 4);
            return super.getInt(index);
        }

        @Override
        public int getInt(final int index, final ByteOrder order) {
            count(index, 4);
            return super.getInt(index, order);
        }

        @Override
        public long getLong(final int index) {
            count(index, 8);
            return super.getLong(index);
        }

        @Override
        public long getLong(final int index, final ByteOrder order) {
            count(index, 8);
            return super.getLong(index, order);
        }

        @Override
        public short getShort(final int index) {
            count(index, 2);
            return super.getShort(index);
        }

        @Override
        public byte getByte(final int index) {
            count(index, 1);
            return super.getByte(index);
        }

        void reset() {
            java.util.Arrays.fill(reads, 0);
        }
    }

    @Test
    void theBackendReadsEachRequestByteOnceAndReqProdOncePerPoll() {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final FrontRing front = new FrontRing("t", BlkifTraffic.SLOT).init(ring);
        final BackRing back = new BackRing("t", BlkifTraffic.SLOT).init(ring);
        for (int i = 0; i < 5; i++) {
            front.claimRequest();
        }
        front.pushRequests();
        ring.reset();
        assertEquals(5, back.pollRequests((copy, index) -> { }, 100));
        assertEquals(1, ring.reads[SringHeader.REQ_PROD_OFFSET], "req_prod read once");
        for (int i = 0; i < 5; i++) {
            final int slot = back.slotOffset(i);
            for (int b = 0; b < BlkifTraffic.SLOT; b++) {
                assertEquals(1, ring.reads[slot + b], "request " + i + " byte " + b);
            }
        }
        assertEquals(0, ring.reads[back.slotOffset(5)], "nothing beyond the requests produced");
    }

    @Test
    void theFrontendReadsEachResponseByteOnceAndRspProdOncePerPoll() {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(8192, 4096));
        final FrontRing front = new FrontRing("t", 16).init(ring);
        final BackRing back = new BackRing("t", 16).init(ring);
        for (int i = 0; i < 200; i++) {
            front.claimRequest();
        }
        front.pushRequests();
        back.pollRequests((c, i) -> { }, 200);
        while (back.claimResponse() != BackRing.NO_SLOT) {
            // answer all
        }
        back.pushResponses();
        ring.reset();
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[16]);
        assertEquals(200, front.unconsumedResponses());
        int copied = 0;
        while (front.copyResponse(copy, 0)) {
            copied++;
        }
        assertEquals(200, copied);
        assertEquals(1, ring.reads[SringHeader.RSP_PROD_OFFSET]);
        for (int i = 0; i < 200; i++) {
            for (int b = 0; b < 16; b++) {
                assertEquals(1, ring.reads[front.slotOffset(i) + b], "response " + i + " byte " + b);
            }
        }
    }

    @Test
    void aResponseIsCopiedAsSizeofTheResponseNotTheWholeSlot() {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final BackRing back = new BackRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        assertEquals(BlkifTraffic.SLOT, front.slotLength());
        for (int i = 0; i < 3; i++) {
            front.claimRequest();
        }
        front.pushRequests();
        back.pollRequests((c, i) -> assertEquals(BlkifTraffic.REQUEST, c.capacity()), 3);
        ring.putByte(back.slotOffset(0) + BlkifTraffic.RESPONSE, (byte) 0x7E);
        for (int i = 0; i < 3; i++) {
            back.claimResponse();
        }
        assertEquals((byte) 0x7E, ring.getByte(back.slotOffset(0) + BlkifTraffic.RESPONSE),
            "only sizeof the response is zeroed: the rest is the frontend's own request");
        back.pushResponses();
        ring.reset();
        assertEquals(3, front.pollResponses((c, i) -> assertEquals(BlkifTraffic.RESPONSE, c.capacity()), 3));
        for (int i = 0; i < 3; i++) {
            for (int b = 0; b < BlkifTraffic.SLOT; b++) {
                assertEquals(b < BlkifTraffic.RESPONSE ? 1 : 0, ring.reads[front.slotOffset(i) + b], "slot " + i + " byte " + b);
            }
        }
    }

    @Test
    void theByteRingConsumerReadsEachByteOnce() {
        final CountingBuffer page = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        page.putInt(XenstoreRing.REQ_CONS_OFFSET, -100);
        page.putInt(XenstoreRing.REQ_PROD_OFFSET, -100 + 1000);
        final XenstoreRing server = XenstoreRing.server("xs", page).attach();
        page.reset();
        final UnsafeBuffer into = new UnsafeBuffer(new byte[2048]);
        assertEquals(1000, server.consumer().read(into, 0, 2048));
        assertEquals(1, page.reads[XenstoreRing.REQ_PROD_OFFSET]);
        int total = 0;
        for (int i = 0; i < XenstoreRing.XENSTORE_RING_SIZE; i++) {
            total += page.reads[XenstoreRing.REQ_OFFSET + i];
            final boolean inRange = Integer.compareUnsigned(((i - (-100)) & 1023), 1000) < 0;
            assertEquals(inRange ? 1 : 0, page.reads[XenstoreRing.REQ_OFFSET + i], "byte " + i);
        }
        assertEquals(1000, total);
    }
}
