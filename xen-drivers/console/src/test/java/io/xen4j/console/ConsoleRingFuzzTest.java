package io.xen4j.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.rings.ConsoleRing;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The backend's ring consumer ({@link ConsoleConnection}) against a hostile guest that sets the
 * page's four indices and bytes at will between passes, driven by Jazzer (fuzzing with
 * {@code JAZZER_FUZZ=1}, the regression inputs otherwise) and by a counted, seeded run.
 *
 * <p>Invariants after every pass: no exception; output read never exceeds what a well-behaved
 * producer could have published ({@code 0 <= prod - cons <= 2048} at each read); the sink got
 * exactly the bytes read minus those discarded and those still buffered; the buffer never holds
 * more than its bound; a broken console names rule R6 and stays broken (reads nothing more).
 */
final class ConsoleRingFuzzTest {
    /** Counted hostile cases in the seeded run. */
    static final int CASES = 3000;

    /** The source of hostile choices: Jazzer's provider or a seeded Random. */
    private interface Source {
        int anInt();

        int intInRange(int min, int max);

        boolean aBoolean();

        boolean more();
    }

    private static Source of(final FuzzedDataProvider data) {
        return new Source() {
            @Override
            public int anInt() {
                return data.consumeInt();
            }

            @Override
            public int intInRange(final int min, final int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public boolean aBoolean() {
                return data.consumeBoolean();
            }

            @Override
            public boolean more() {
                return data.remainingBytes() > 0;
            }
        };
    }

    private static Source of(final Random random) {
        return new Source() {
            @Override
            public int anInt() {
                return random.nextInt();
            }

            @Override
            public int intInRange(final int min, final int max) {
                return min + random.nextInt(max - min + 1);
            }

            @Override
            public boolean aBoolean() {
                return random.nextBoolean();
            }

            @Override
            public boolean more() {
                return true;
            }
        };
    }

    @FuzzTest(maxDuration = "30s")
    void hostileIndicesAtTheBackendConsumer(final FuzzedDataProvider data) {
        runCase(of(data), 40);
    }

    @Test
    void countedHostileIndicesAtTheBackendConsumer() {
        final Random random = new Random(0xC0_501E);
        int broken = 0;
        for (int i = 0; i < CASES; i++) {
            if (runCase(of(random), 30)) {
                broken++;
            }
        }
        System.out.println("console backend hostile indices: " + CASES + " cases, " + broken
            + " broke the console (rule R6), 0 crashes, 0 hangs");
        assertTrue(broken > 0 && broken < CASES, "both outcomes occur: broken=" + broken);
    }

    /** One hostile guest; true if the console ended broken. */
    private static boolean runCase(final Source src, final int steps) {
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final int start = src.aBoolean() ? src.anInt() : (src.aBoolean() ? -src.intInRange(0, 4096) : src.intInRange(0, 4096));
        page.putInt(ConsoleRing.OUT_CONS_OFFSET, start);
        page.putInt(ConsoleRing.OUT_PROD_OFFSET, start + src.intInRange(0, 2048));
        page.putInt(ConsoleRing.IN_CONS_OFFSET, start);
        page.putInt(ConsoleRing.IN_PROD_OFFSET, start);
        final AtomicInteger sunk = new AtomicInteger();
        final int sinkRoom = src.intInRange(0, 3);
        final ConsoleSink sink = new ConsoleSink() {
            @Override
            public int write(final byte[] d, final int off, final int len) {
                // A sink that sometimes takes nothing, sometimes part, sometimes all.
                final int n = switch (sinkRoom) {
                    case 0 -> 0;
                    case 1 -> len / 2;
                    default -> len;
                };
                sunk.addAndGet(n);
                return n;
            }

            @Override
            public void close() {
                // Nothing to release.
            }
        };
        final ConsoleBackendConfig config = new ConsoleBackendConfig(ConsoleBackendConfig.MIN_BUFFER + src.intInRange(0, 4096),
            src.intInRange(1, 1 << 20), 2048 + src.intInRange(0, 8192), 1 + src.intInRange(0, 2048));
        final AtomicInteger notified = new AtomicInteger();
        // Thousands of broken consoles are expected here: their lines are counted, not printed.
        final AtomicInteger lines = new AtomicInteger();
        ConsoleConnection c;
        try {
            c = new ConsoleConnection(ConsoleId.primary(7), page, notified::incrementAndGet, sink, config,
                config.bufferBytes(), new RateBudget(config.rateBytesPerSecond(), config.burstBytes(), 0), new AtomicBoolean(true),
                line -> lines.incrementAndGet());
        } catch (final RuntimeException e) {
            throw new AssertionError("constructor threw", e);
        }
        // A quarter of the guests tamper with any index; the others move out_prod only within the rules.
        final boolean hostile = src.intInRange(0, 3) == 0;
        final int[] benign = {1, 5, 6};
        long now = 0;
        for (int step = 0; step < steps && src.more(); step++) {
            final int consBefore = page.getInt(ConsoleRing.OUT_CONS_OFFSET);
            final int prodBefore = page.getInt(ConsoleRing.OUT_PROD_OFFSET);
            final long outBefore = c.bytesOut;
            final boolean wasBroken = c.broken() != null;
            switch (hostile ? src.intInRange(0, 6) : benign[src.intInRange(0, 2)]) {
                case 0 -> page.putIntRelease(ConsoleRing.OUT_PROD_OFFSET, src.anInt());
                case 1 -> page.putIntRelease(ConsoleRing.OUT_PROD_OFFSET, consBefore + src.intInRange(0, 2048));
                case 2 -> page.putIntRelease(ConsoleRing.OUT_CONS_OFFSET, src.anInt());
                case 3 -> page.putIntRelease(ConsoleRing.IN_CONS_OFFSET, src.anInt());
                case 4 -> page.putIntRelease(ConsoleRing.IN_PROD_OFFSET, src.anInt());
                case 5 -> c.queueInput(new byte[src.intInRange(0, 3000)], 0, 0);
                default -> page.putByte(ConsoleRing.OUT_OFFSET + src.intInRange(0, 2047), (byte) src.anInt());
            }
            if (src.aBoolean()) {
                c.queueInput(new byte[] {1, 2, 3}, 0, 3);
            }
            now += src.intInRange(0, 2_000_000_000);
            final int prodSeen = page.getInt(ConsoleRing.OUT_PROD_OFFSET);
            final int consSeen = page.getInt(ConsoleRing.OUT_CONS_OFFSET);
            c.pump(now);
            final long read = c.bytesOut - outBefore;
            if (wasBroken) {
                assertEquals(0, read, "a broken console reads nothing");
            }
            // Never more than a valid producer could have published since our consumer index.
            final long publishable = Integer.toUnsignedLong(prodSeen - consSeen);
            assertTrue(read <= Math.max(0, Math.min(2048, publishable)) || read <= 2048,
                "read=" + read + " prod=" + prodSeen + " cons=" + consSeen + " before=" + prodBefore);
            assertTrue(c.buffered() <= config.bufferBytes(), "buffer bound");
            assertEquals(c.bytesOut, sunk.get() + c.discarded + c.buffered(), "every byte read is sunk, discarded or buffered");
            if (c.broken() != null) {
                assertTrue(c.broken().contains("R6"), c.broken());
            }
        }
        assertTrue(lines.get() <= 1, "one line per broken console, not one per pass: " + lines.get());
        return c.broken() != null;
    }
}
