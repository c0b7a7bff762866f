package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.xenbus.testing.HostileSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers driven by Jazzer (fuzzing with {@code JAZZER_FUZZ=1}, the regression inputs
 * otherwise) and by a counted, seeded run: hostile requests at blkback and hostile responses at
 * blkfront. Invariants are checked in {@link BlkHostileDriver}: no exception, no hang, no access
 * outside the shared pages (the Agrona buffers bound every access), an echoed id and a known
 * status for each request, a reason for each break.
 */
final class BlkHostileFuzzTest {
    // Thousands of broken devices are expected here; their log lines are checked by the named tests.
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.xen4j.blk");

    static {
        QUIET.setLevel(java.util.logging.Level.OFF);
    }

    /** Counted hostile cases per side and layout in the seeded run. */
    static final int CASES = 1500;

    @FuzzTest(maxDuration = "30s")
    void hostileRequestsAtBlkback(final FuzzedDataProvider data) {
        final HostileSource src = HostileSource.of(data);
        try (RawFrontend f = BlkHostileDriver.newFrontend(data.consumeBoolean() ? BlkifAbi.X86_64 : BlkifAbi.X86_32,
            data.consumeBoolean())) {
            for (int i = 0; i < 20 && src.more(); i++) {
                if (!BlkHostileDriver.hostileRequest(f, src)) {
                    return;
                }
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void hostileResponsesAtBlkfront(final FuzzedDataProvider data) {
        final HostileSource src = HostileSource.of(data);
        try (RawBackend b = new RawBackend(data.consumeBoolean() ? BlkifAbi.X86_64 : BlkifAbi.X86_32)) {
            for (int i = 0; i < 20 && src.more(); i++) {
                if (!BlkHostileDriver.hostileResponse(b, src)) {
                    return;
                }
            }
        }
    }

    @Test
    void countedHostileRequestsAtBlkback() {
        for (final BlkifAbi abi : BlkifAbi.values()) {
            for (final boolean persistent : new boolean[] {false, true}) {
                countedRequests(abi, persistent);
            }
        }
    }

    private static void countedRequests(final BlkifAbi abi, final boolean persistent) {
        {
            final HostileSource src = HostileSource.of(new Random(0xB10C + abi.ordinal() + (persistent ? 7 : 0)));
            RawFrontend f = BlkHostileDriver.newFrontend(abi, persistent);
            int breaks = 0;
            // Requests that blkback took in its one pass over kept grants (persistent only).
            long onePass = 0;
            try {
                for (int i = 0; i < CASES; i++) {
                    if (!BlkHostileDriver.hostileRequest(f, src)) {
                        breaks++;
                        onePass += f.back.servedInOnePass();
                        f.close();
                        f = BlkHostileDriver.newFrontend(abi, persistent);
                    }
                }
            } finally {
                onePass += f.back.servedInOnePass();
                f.close();
            }
            System.out.println("blkback hostile requests " + abi.protocol() + (persistent ? " persistent" : "") + ": " + CASES + " cases, " + breaks
                + " req_prod tamperings (device stopped, or guest reset), " + onePass + " served in one pass, 0 crashes, 0 hangs");
            if (persistent) {
                assertTrue(onePass > 0, "no hostile request reached blkback's one pass over kept grants");
            }
        }
    }

    @Test
    void countedHostileResponsesAtBlkfront() {
        for (final BlkifAbi abi : BlkifAbi.values()) {
            final HostileSource src = HostileSource.of(new Random(0xF207 + abi.ordinal()));
            RawBackend b = new RawBackend(abi);
            int breaks = 0;
            try {
                for (int i = 0; i < CASES; i++) {
                    if (!BlkHostileDriver.hostileResponse(b, src)) {
                        breaks += b.front.brokenReason() != null ? 1 : 0;
                        b.close();
                        b = new RawBackend(abi);
                    }
                }
            } finally {
                b.close();
            }
            System.out.println("blkfront hostile responses " + abi.protocol() + ": " + CASES + " cases, " + breaks
                + " broke the device, 0 crashes, 0 hangs");
        }
    }
}
