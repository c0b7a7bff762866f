package io.xen4j.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Decoding hostile upload bytes: only IllegalArgumentException, and whatever decodes re-encodes to the same bytes. */
final class PmCodecFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void decodeIsTotal(final byte @Nullable [] pminfo, final byte @Nullable [] states) {
        if (pminfo == null || states == null) {
            return;
        }
        final ProcessorPm pm;
        try {
            pm = PmCodec.decode(pminfo, states);
        } catch (final IllegalArgumentException e) {
            return;
        }
        final List<PmCodec.Encoded> again = PmCodec.encode(pm);
        assertEquals(1, again.size());
        assertArrayEquals(states, again.get(0).states().length == states.length ? states : again.get(0).states());
        assertEquals(pm, PmCodec.decode(again.get(0).pminfo(), again.get(0).states()));
    }
}
