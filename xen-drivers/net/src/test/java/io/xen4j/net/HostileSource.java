package io.xen4j.net;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Random;

/** Where hostile values come from: Jazzer's data provider when fuzzing, a seeded Random for counted runs. */
interface HostileSource {
    int nextInt(int lo, int hi);

    long nextLong();

    byte[] bytes(int n);

    boolean more();

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
