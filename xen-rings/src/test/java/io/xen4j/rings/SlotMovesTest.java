package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.ring.SringHeader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unchecked word moves behind slot copies and claims: every length from 0 to 300 bytes, at
 * every misalignment, between native memory and heap arrays in all four combinations, moves exactly
 * the bytes asked for and touches nothing around them; and the rings fall back to Agrona's checked
 * copies whenever the unchecked ones could not be proven in bounds.
 */
final class SlotMovesTest {
    private static final int GUARD = 24;
    private static final int MAX = 300;
    private static final byte FILL = (byte) 0xA5;

    /** An area with guard bytes on both sides, either off-heap or on a byte[]. */
    private static UnsafeBuffer area(final boolean heap) {
        final int bytes = MAX + 8 + 2 * GUARD;
        final UnsafeBuffer buffer = heap ? new UnsafeBuffer(new byte[bytes])
            : new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes, 64));
        buffer.setMemory(0, bytes, FILL);
        return buffer;
    }

    private static void assertGuards(final UnsafeBuffer buffer, final int start, final int length, final String what) {
        for (int i = 0; i < buffer.capacity(); i++) {
            if (i < start || i >= start + length) {
                assertEquals(FILL, buffer.getByte(i), what + ": byte " + i + " outside [" + start + ", "
                    + (start + length) + ") was written");
            }
        }
    }

    @ParameterizedTest(name = "srcHeap={0}")
    @ValueSource(booleans = {false, true})
    void copyMovesExactlyTheBytesForEveryLengthAndAlignment(final boolean srcHeap) {
        final Random random = new Random(0x5107L);
        for (final boolean dstHeap : new boolean[] {false, true}) {
            for (int length = 0; length <= MAX; length++) {
                final int srcStart = GUARD + (length % 8);
                final int dstStart = GUARD + (length * 3 % 8);
                final UnsafeBuffer src = area(srcHeap);
                final UnsafeBuffer dst = area(dstHeap);
                final byte[] expected = new byte[length];
                random.nextBytes(expected);
                src.putBytes(srcStart, expected);
                final byte[] srcBefore = new byte[src.capacity()];
                src.getBytes(0, srcBefore);
                SlotMoves.copy(src.byteArray(), src.addressOffset() + srcStart, dst.byteArray(),
                    dst.addressOffset() + dstStart, length);
                final byte[] copied = new byte[length];
                dst.getBytes(dstStart, copied);
                final String what = "copy length=" + length + " srcHeap=" + srcHeap + " dstHeap=" + dstHeap;
                assertArrayEquals(expected, copied, what);
                assertGuards(dst, dstStart, length, what);
                final byte[] srcAfter = new byte[src.capacity()];
                src.getBytes(0, srcAfter);
                assertArrayEquals(srcBefore, srcAfter, what + ": the source changed");
            }
        }
    }

    /** One of the clears: each has a single call site, the frontend's claim or the backend's. */
    private interface Zero {
        void zero(@Nullable Object base, long address, int length);
    }

    static Stream<Arguments> clears() {
        final Map<String, Zero> clears = new LinkedHashMap<>();
        clears.put("zeroRequest", SlotMoves::zeroRequest);
        clears.put("zeroResponse", SlotMoves::zeroResponse);
        return clears.entrySet().stream()
            .flatMap(e -> Stream.of(false, true).map(heap -> Arguments.of(e.getKey(), e.getValue(), heap)));
    }

    @ParameterizedTest(name = "{0} heap={2}")
    @MethodSource("clears")
    void zeroClearsExactlyTheBytesForEveryLengthAndAlignment(final String name, final Zero clear, final boolean heap) {
        for (int length = 0; length <= MAX; length++) {
            final int start = GUARD + (length % 8);
            final UnsafeBuffer buffer = area(heap);
            clear.zero(buffer.byteArray(), buffer.addressOffset() + start, length);
            for (int i = start; i < start + length; i++) {
                assertEquals(0, buffer.getByte(i), name + " length=" + length + " heap=" + heap + ": byte " + i);
            }
            assertGuards(buffer, start, length, name + " length=" + length + " heap=" + heap);
        }
    }

    @Test
    void overlapIsTheSameMemoryAndIntersectingRanges() {
        final byte[] array = new byte[64];
        final byte[] other = new byte[64];
        assertTrue(SlotMoves.overlap(array, 16, array, 31, 16));
        assertTrue(SlotMoves.overlap(array, 31, array, 16, 16));
        assertTrue(SlotMoves.overlap(null, 1000, null, 1000, 1));
        assertFalse(SlotMoves.overlap(array, 16, array, 32, 16), "adjacent ranges");
        assertFalse(SlotMoves.overlap(array, 32, array, 16, 16), "adjacent ranges");
        assertFalse(SlotMoves.overlap(array, 16, other, 16, 16), "two arrays");
        assertFalse(SlotMoves.overlap(null, 16, array, 16, 16), "native memory and an array");
        assertFalse(SlotMoves.overlap(array, 16, array, 16, 0), "nothing to move");
    }

    @Test
    void aCopyWithinTheSharedAreaItselfMovesAsMemmove() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final BackRing back = new BackRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final int slot = front.claimRequest();
        for (int i = 0; i < BlkifTraffic.REQUEST; i++) {
            ring.putByte(slot + i, (byte) i);
        }
        front.pushRequests();
        assertEquals(1, back.unconsumedRequests());
        // The destination overlaps the slot, 8 bytes further on: a forward word copy would smear.
        assertTrue(back.copyRequest(ring, slot + 8));
        for (int i = 0; i < BlkifTraffic.REQUEST; i++) {
            assertEquals((byte) i, ring.getByte(slot + 8 + i), "byte " + i);
        }
    }

    @Test
    void aSharedBufferRewrappedSmallerThanTheRingIsNeverMovedUnchecked() {
        final UnsafeBuffer ring = Rings.pages(1);
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final byte[] small = new byte[SringHeader.RING_OFFSET + BlkifTraffic.REQUEST - 1];
        ring.wrap(small);
        // The checked path throws where the unchecked one would have written past the array.
        assertThrows(IndexOutOfBoundsException.class, front::claimRequest);
    }

    @Test
    void aSubclassOfUnsafeBufferKeepsTheCheckedCopies() {
        final int[] setMemoryCalls = new int[1];
        final UnsafeBuffer ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096)) {
            @Override
            public void setMemory(final int index, final int length, final byte value) {
                setMemoryCalls[0]++;
                super.setMemory(index, length, value);
            }
        };
        final FrontRing front = new FrontRing("t", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        setMemoryCalls[0] = 0;
        front.claimRequest();
        assertEquals(1, setMemoryCalls[0], "the claim went through the subclass's setMemory");
    }
}
