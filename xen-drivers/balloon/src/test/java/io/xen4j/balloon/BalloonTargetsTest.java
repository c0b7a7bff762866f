package io.xen4j.balloon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and clamping of targets: named cases and a fuzz target whose seeds run in every build. */
final class BalloonTargetsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0", "4096|4096", "' 65536\n'|65536", "0000000000000000000000012|12",
        "9223372036854775807|9223372036854775807", "9223372036854775808|9223372036854775807",
        "99999999999999999999|9223372036854775807",
        "-1|-1", "+1|-1", "abc|-1", "''|-1", "12 34|-1", "0x10|-1", "1.5|-1", "1e3|-1"})
    void parses(final String text, final long expected) {
        assertEquals(expected, BalloonTargets.parseKiB(text));
    }

    @Test
    void rejectionsShowABoundedPrintableExcerpt() {
        assertEquals("ignored memory/target \"a?b?c\": not a decimal KiB count",
            BalloonTargets.rejection("memory/target", "a\nb\"c"));
        assertEquals("ignored t \"" + "x".repeat(32) + "...\": not a decimal KiB count",
            BalloonTargets.rejection("t", "x".repeat(5000)));
    }

    @Test
    void clampsToTheLowestCeilingAndTheFloor() {
        assertEquals(100, BalloonTargets.clamp(500, 10, 100, 200));
        assertEquals(100, BalloonTargets.clamp(500, 10, 200, 100));
        assertEquals(10, BalloonTargets.clamp(0, 10, 200, 100));
        assertEquals(50, BalloonTargets.clamp(50, 10, Long.MAX_VALUE, 100));
        // A floor above the ceiling yields the ceiling.
        assertEquals(5, BalloonTargets.clamp(0, 10, 5, 100));
        assertEquals(Long.MAX_VALUE, BalloonTargets.pagesToKiB(Long.MAX_VALUE / 2));
    }

    @FuzzTest(maxDuration = "5s")
    void anyTextParsesToInvalidOrANonNegativeCountAndClampsInRange(final @Nullable String text, final long min,
                                                                  final long staticMax, final long max) {
        if (text == null) {
            return;
        }
        final long kib = BalloonTargets.parseKiB(text);
        assertTrue(kib == BalloonTargets.INVALID || kib >= 0, text);
        if (kib >= 0 && min >= 0 && staticMax >= 0 && max >= 0) {
            final long t = BalloonTargets.clamp(BalloonTargets.kibToPages(kib), min, staticMax, max);
            assertTrue(t >= 0 && t <= Math.min(staticMax, max), () -> "clamp gave " + t);
        }
        final String r = BalloonTargets.rejection("memory/target", text);
        assertTrue(r.length() <= "ignored memory/target \"\": not a decimal KiB count".length() + 35, r);
        assertTrue(r.chars().allMatch(c -> c >= 0x20 && c < 0x7F), r);
    }
}
