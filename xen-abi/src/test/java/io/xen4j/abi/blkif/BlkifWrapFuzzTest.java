package io.xen4j.abi.blkif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hostile placement: whatever offset and buffer size a caller (or a peer-controlled value) gives,
 * wrapping either fails with IllegalArgumentException or leaves every accessor inside the buffer.
 * {@code mvn verify} runs the seed corpus; {@code JAZZER_FUZZ=1} fuzzes.
 */
final class BlkifWrapFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void wrapNeverLetsAnAccessorLeaveTheBuffer(final FuzzedDataProvider data) {
        final int capacity = data.consumeInt(0, 512);
        final int offset = data.consumeInt();
        final int index = data.consumeInt(-2, 12);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[capacity]);
        final BlkifRequest request = new BlkifRequest();
        try {
            request.wrap(buffer, offset);
        } catch (final IllegalArgumentException e) {
            assertTrue(offset < 0 || offset > capacity - BlkifRequest.LENGTH, "rejected a fitting offset " + offset);
            return;
        }
        request.clear();
        request.id(data.consumeLong()).sectorNumber(data.consumeLong());
        try {
            request.segment(index, data.consumeInt(), 0, 7);
            assertTrue(index >= 0 && index < Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
            assertEquals(7, request.segmentLastSect(index));
        } catch (final IndexOutOfBoundsException e) {
            assertTrue(index < 0 || index >= Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST, "rejected index " + index);
        }
    }
}
