package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.rings.SlotCopyOnceTest.CountingBuffer;
import java.util.SplittableRandom;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SlotCopy}: a consumer copies out only the bytes it uses, still each byte at most once
 * (R2), clamped to {@code sizeof} the type, and only while its handler runs.
 */
@Timeout(60)
final class SlotCopyTest {
    private static final int HEADER = BlkifRequest.SEG_OFFSET;

    /** A one-page blkif ring on {@code ring} with {@code n} requests pushed, each slot filled with bytes from {@code random}. */
    private static BackRing backendWith(final AtomicBuffer ring, final int n, final SplittableRandom random) {
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        for (int i = 0; i < n; i++) {
            final int slot = front.claimRequest();
            for (int b = 0; b < BlkifTraffic.SLOT; b++) {
                ring.putByte(slot + b, (byte) random.nextInt());
            }
        }
        front.pushRequests();
        return new BackRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
    }

    /** The bytes of the partial copies equal the first bytes of the full RING_COPY_REQUEST, for every length sequence. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void partialCopiesEqualTheFullCopy(final boolean countingBuffer) {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200; round++) {
            final AtomicBuffer ring = countingBuffer
                ? new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096))
                : new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
            final int n = 1 + random.nextInt(32);
            backendWith(ring, n, random.split());
            final BackRing full = new BackRing("full", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
            final byte[][] expected = new byte[n][BlkifTraffic.REQUEST];
            assertEquals(n, full.pollRequests((copy, index) -> copy.getBytes(0, expected[index]), n));

            final BackRing partial = new BackRing("partial", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
            final int prefix = random.nextInt(-4, BlkifTraffic.REQUEST + 20);
            final long seed = random.nextLong();
            final int[] seen = {0};
            assertEquals(n, partial.pollRequests(slot -> {
                final SplittableRandom lengths = new SplittableRandom(seed + slot.ringIndex());
                assertEquals(Math.clamp(prefix, 0, BlkifTraffic.REQUEST), slot.length(), "prefix copied first");
                int want = slot.length();
                for (int k = 0; k < 4; k++) {
                    final int ask = lengths.nextInt(-8, BlkifTraffic.REQUEST + 40);
                    want = Math.max(want, Math.min(ask, BlkifTraffic.REQUEST));
                    assertEquals(want, slot.copyUpTo(ask), "copyUpTo(" + ask + ")");
                    assertEquals(want, slot.buffer().capacity(), "the view covers what is copied");
                    for (int b = 0; b < want; b++) {
                        assertEquals(expected[slot.ringIndex()][b], slot.buffer().getByte(b),
                            "request " + slot.ringIndex() + " byte " + b);
                    }
                }
                seen[0]++;
            }, prefix, n));
            assertEquals(n, seen[0]);
        }
    }

    /** Each shared byte is read at most once however the handler asks; bytes never asked for are never read. */
    @Test
    void eachSharedByteIsReadAtMostOnceAndOnlyWhatIsAskedFor() {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final BackRing back = backendWith(ring, 6, new SplittableRandom(7));
        final int[] asked = {HEADER + 3 * BlkifRequestSegment.LENGTH, 5, 200, HEADER, 0, -1, 40, 40, 112, 113,
            Integer.MAX_VALUE, Integer.MIN_VALUE};
        ring.reset();
        final int[] finalLength = new int[6];
        assertEquals(6, back.pollRequests(slot -> {
            // Request i asks for asked[i], asked[i + 1], asked[i + 2] in turn.
            for (int k = 0; k < 3; k++) {
                slot.copyUpTo(asked[(slot.ringIndex() * 2 + k) % asked.length]);
            }
            finalLength[slot.ringIndex()] = slot.length();
        }, HEADER, 6));
        assertEquals(1, ring.reads[SringHeader.REQ_PROD_OFFSET], "req_prod read once");
        for (int i = 0; i < 6; i++) {
            assertTrue(finalLength[i] >= HEADER && finalLength[i] <= BlkifTraffic.REQUEST, "length " + finalLength[i]);
            for (int b = 0; b < BlkifTraffic.SLOT; b++) {
                assertEquals(b < finalLength[i] ? 1 : 0, ring.reads[back.slotOffset(i) + b],
                    "request " + i + " byte " + b + ", copied " + finalLength[i]);
            }
        }
        assertEquals(0, ring.reads[back.slotOffset(6)], "nothing beyond the requests produced");
    }

    /**
     * A hostile nr_segments, read from the private header, asks for more than the request: the copy
     * stops at sizeof(blkif_request), never reads the rest of the slot or the next one, and the
     * handler sees that it got less than it asked for.
     */
    @ParameterizedTest
    @ValueSource(ints = {12, 13, 100, 255})
    void aLengthFromTheCopyBeyondTheRequestIsClamped(final int nrSegments) {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        // Slots larger than the request, so that bytes after it exist in the slot.
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE, 128).init(ring);
        for (int i = 0; i < 2; i++) {
            final int slot = front.claimRequest();
            ring.setMemory(slot, 128, (byte) 0x5A);
            ring.putByte(slot + BlkifRequest.NR_SEGMENTS_OFFSET, (byte) nrSegments);
        }
        front.pushRequests();
        final BackRing back = new BackRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE, 128).init(ring);
        ring.reset();
        final int[] got = new int[2];
        assertEquals(2, back.pollRequests(slot -> {
            final int n = BlkifRequest.nrSegments(slot.buffer(), 0);
            assertEquals(nrSegments, n);
            got[slot.ringIndex()] = slot.copyUpTo(HEADER + n * BlkifRequestSegment.LENGTH);
            assertThrows(IndexOutOfBoundsException.class, () -> slot.buffer().getByte(BlkifTraffic.REQUEST),
                "nothing readable past the copy");
        }, HEADER, 2));
        for (int i = 0; i < 2; i++) {
            assertEquals(BlkifTraffic.REQUEST, got[i], "clamped to sizeof(blkif_request)");
            for (int b = 0; b < 128; b++) {
                assertEquals(b < BlkifTraffic.REQUEST ? 1 : 0, ring.reads[back.slotOffset(i) + b], "slot " + i + " byte " + b);
            }
        }
    }

    /** Stale bytes of an earlier, longer copy are never visible: the view ends where this slot's copy ends. */
    @Test
    void theViewNeverShowsAnEarlierSlotsBytes() {
        final UnsafeBuffer ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final BackRing back = backendWith(ring, 2, new SplittableRandom(3));
        assertEquals(2, back.pollRequests(slot -> {
            if (slot.ringIndex() == 0) {
                assertEquals(BlkifTraffic.REQUEST, slot.copyUpTo(Integer.MAX_VALUE));
            } else {
                assertEquals(8, slot.length());
                assertEquals(8, slot.buffer().capacity());
                assertThrows(IndexOutOfBoundsException.class, () -> slot.buffer().getLong(8));
            }
        }, 8, 2));
    }

    /** The copy ends when the handler returns, and when the ring claims the slot for the response. */
    @Test
    void theCopyEndsWhenTheHandlerReturnsOrTheSlotIsClaimed() {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final BackRing back = backendWith(ring, 2, new SplittableRandom(5));
        final SlotCopy[] leaked = new SlotCopy[1];
        assertEquals(1, back.pollRequests(slot -> leaked[0] = slot, HEADER, 1));
        assertFalse(leaked[0].isOpen());
        assertEquals(HEADER, leaked[0].copyUpTo(BlkifTraffic.REQUEST), "closed after the handler");

        // Request 1 is handled while request 0 is answered: claiming slot 0 leaves slot 1's copy open;
        // claiming slot 1 (its own response) ends it.
        ring.reset();
        assertEquals(1, back.pollRequests(slot -> {
            assertEquals(back.slotOffset(0), back.claimResponse());
            assertTrue(slot.isOpen(), "another slot claimed");
            assertEquals(HEADER + 8, slot.copyUpTo(HEADER + 8));
            assertEquals(back.slotOffset(1), back.claimResponse());
            assertFalse(slot.isOpen(), "own slot claimed");
            assertEquals(HEADER + 8, slot.copyUpTo(BlkifTraffic.REQUEST), "nothing read from a claimed slot");
        }, HEADER, 1));
        for (int b = 0; b < BlkifTraffic.SLOT; b++) {
            assertEquals(b < HEADER + 8 ? 1 : 0, ring.reads[back.slotOffset(1) + b], "byte " + b);
        }
    }

    /** produceResponse into the slot being copied ends the copy, as claimResponse does; so does re-attaching. */
    @Test
    void produceAndAttachEndTheCopy() {
        final UnsafeBuffer ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final BackRing back = backendWith(ring, 2, new SplittableRandom(9));
        final UnsafeBuffer response = new UnsafeBuffer(new byte[BlkifTraffic.RESPONSE]);
        assertEquals(1, back.pollRequests(slot -> {
            assertTrue(back.produceResponse(response, 0));
            assertFalse(slot.isOpen());
        }, HEADER, 1));
        assertEquals(1, back.pollRequests(slot -> {
            back.attach(ring, 1);
            assertFalse(slot.isOpen());
            assertEquals(HEADER, slot.copyUpTo(BlkifTraffic.REQUEST));
        }, HEADER, 1));
    }

    /** The frontend consumes responses the same way; a request claimed in the slot being copied ends the copy. */
    @Test
    void theFrontendCopiesResponsesPartially() {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final FrontRing front = new FrontRing("t", 64).init(ring);
        final BackRing back = new BackRing("t", 64).init(ring);
        final int size = front.size();
        for (int i = 0; i < size; i++) {
            front.claimRequest();
        }
        front.pushRequests();
        back.pollRequests((c, i) -> { }, size);
        for (int i = 0; i < size; i++) {
            final int slot = back.claimResponse();
            for (int b = 0; b < 64; b++) {
                ring.putByte(slot + b, (byte) (i * 64 + b));
            }
        }
        back.pushResponses();
        ring.reset();
        assertEquals(size, front.pollResponses(slot -> {
            final int i = slot.ringIndex();
            assertEquals(4, slot.length());
            final int want = 4 + (i % 7) * 8;
            assertEquals(want, slot.copyUpTo(want));
            for (int b = 0; b < want; b++) {
                assertEquals((byte) (i * 64 + b), slot.buffer().getByte(b));
            }
            if (i == 0) {
                // The ring is free now up to slot 0 again: a request claimed there ends the copy.
                assertEquals(front.slotOffset(0), front.claimRequest());
                assertFalse(slot.isOpen());
            }
        }, 4, size));
        for (int i = 0; i < size; i++) {
            final int want = 4 + (i % 7) * 8;
            for (int b = 0; b < 64; b++) {
                assertEquals(i > 0 && b < want || i == 0 && b < 4 ? 1 : 0, ring.reads[front.slotOffset(i) + b],
                    "response " + i + " byte " + b);
            }
        }
    }

    /** A broken ring hands nothing out; the partial poll validates req_prod as the full one does. */
    @Test
    void aHostileReqProdBreaksTheRingBeforeAnySlotIsRead() {
        final CountingBuffer ring = new CountingBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final BackRing back = backendWith(ring, 1, new SplittableRandom(1));
        ring.putInt(SringHeader.REQ_PROD_OFFSET, 33);
        ring.reset();
        assertEquals(0, back.pollRequests(slot -> {
            throw new AssertionError("handler called on a broken ring");
        }, HEADER, 100));
        assertEquals(RingViolation.RING_REQUEST_PROD_OVERFLOW, back.violation());
        for (int b = SringHeader.RING_OFFSET; b < 4096; b++) {
            assertEquals(0, ring.reads[b], "slot byte read: " + b);
        }
    }

    /** The partial copy allocates nothing: the blkback loop of the benchmark, header then segments. */
    @Test
    void thePartialPollAllocatesNothing() {
        final UnsafeBuffer ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final BackRing back = new BackRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final long[] sum = {0};
        final SlotCopyHandler blkback = slot -> {
            final int n = BlkifRequest.nrSegments(slot.buffer(), 0);
            final int segments = n == 0 || n > Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST ? 0 : n;
            slot.copyUpTo(HEADER + segments * BlkifRequestSegment.LENGTH);
            sum[0] += BlkifRequest.id(slot.buffer(), 0) + slot.length();
            back.claimResponse();
        };
        final SlotHandler drop = (copy, index) -> { };
        Allocations.assertNone("partial poll", 2000, () -> {
            for (int i = 0; i < 32; i++) {
                final int slot = front.claimRequest();
                ring.putByte(slot + BlkifRequest.NR_SEGMENTS_OFFSET, (byte) (1 + (i % 11)));
                ring.putLong(slot + BlkifRequest.ID_OFFSET, i);
            }
            front.pushRequests();
            back.pollRequests(blkback, HEADER, Integer.MAX_VALUE);
            back.pushResponses();
            front.pollResponses(drop, Integer.MAX_VALUE);
        });
        assertTrue(sum[0] > 0);
    }
}
