package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients against the daemon's parser and dispatch ({@link HostilePeer}): arbitrary
 * headers, lengths and payloads in arbitrary chunks, from a guest and dom0. {@code mvn verify}
 * runs the Jazzer seed corpus and 300 seeded random sessions; {@code JAZZER_FUZZ=1} fuzzes.
 */
final class XenstoreFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void hostileStreamsNeverBreakTheDaemon(final FuzzedDataProvider data) {
        new HostilePeer(new HostilePeer.Source() {
            @Override
            public int pick(final int bound) {
                return bound <= 1 ? 0 : data.consumeInt(0, bound - 1);
            }

            @Override
            public boolean chance() {
                return data.consumeBoolean();
            }

            @Override
            public byte[] bytes(final int max) {
                return data.consumeBytes(max);
            }

            @Override
            public boolean exhausted() {
                return data.remainingBytes() == 0;
            }
        }).run(10_000);
    }

    @Test
    void threeHundredSeededHostileSessions() {
        long messages = 0;
        for (int seed = 0; seed < 300; seed++) {
            final SplittableRandom random = new SplittableRandom(seed);
            messages += new HostilePeer(new HostilePeer.Source() {
                @Override
                public int pick(final int bound) {
                    return bound <= 1 ? 0 : random.nextInt(bound);
                }

                @Override
                public boolean chance() {
                    return random.nextBoolean();
                }

                @Override
                public byte[] bytes(final int max) {
                    final byte[] b = new byte[random.nextInt(max + 1)];
                    random.nextBytes(b);
                    return b;
                }

                @Override
                public boolean exhausted() {
                    return false;
                }
            }).run(400);
        }
        assertTrue(messages > 10_000, "the sessions made the daemon answer: " + messages);
    }
}
