package io.xen4j.xenbus.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Random;

/**
 * Where hostile values come from: Jazzer's data provider when fuzzing, a seeded Random for counted runs.
 *
 * <p>Shared by the drivers' hostile-peer tests (blk, net) through this module's test jar, so that a
 * fuzz test and its seeded, counted twin draw values the same way.
 */
public interface HostileSource {
    /**
     * An int in a closed range.
     *
     * @param lo lowest value
     * @param hi highest value, inclusive
     * @return the value
     */
    int nextInt(int lo, int hi);

    /**
     * Any long; the seeded source favours edge values.
     *
     * @return the value
     */
    long nextLong();

    /**
     * Up to n bytes (fewer when the fuzzer's input runs out).
     *
     * @param n how many
     * @return the bytes
     */
    byte[] bytes(int n);

    /**
     * Whether the source has input left; a seeded source always has.
     *
     * @return true while values remain
     */
    boolean more();

    /**
     * Values from Jazzer's input.
     *
     * @param data the fuzzer's data provider
     * @return the source
     */
    static HostileSource of(final FuzzedDataProvider data) {
        return new HostileSource() {
            @Override
            public int nextInt(final int lo, final int hi) {
                return data.consumeInt(lo, hi);
            }

            @Override
            public long nextLong() {
                return data.consumeLong();
            }

            @Override
            public byte[] bytes(final int n) {
                return data.consumeBytes(n);
            }

            @Override
            public boolean more() {
                return data.remainingBytes() > 0;
            }
        };
    }

    /**
     * Values from a seeded random generator, for counted, repeatable runs.
     *
     * @param rnd the generator
     * @return the source
     */
    static HostileSource of(final Random rnd) {
        return new HostileSource() {
            @Override
            public int nextInt(final int lo, final int hi) {
                return lo + rnd.nextInt(hi - lo + 1);
            }

            @Override
            public long nextLong() {
                // Edge values more often than uniform ones: they are where the bugs are.
                return switch (rnd.nextInt(6)) {
                    case 0 -> -1L - rnd.nextInt(16);
                    case 1 -> rnd.nextInt(4096);
                    case 2 -> Long.MAX_VALUE - rnd.nextInt(16);
                    case 3 -> (1L << 32) - rnd.nextInt(16);
                    default -> rnd.nextLong();
                };
            }

            @Override
            public byte[] bytes(final int n) {
                final byte[] b = new byte[n];
                rnd.nextBytes(b);
                return b;
            }

            @Override
            public boolean more() {
                return true;
            }
        };
    }
}
