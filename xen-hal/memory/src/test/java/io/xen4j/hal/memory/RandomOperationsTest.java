package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random operation sequences against the simulated host, checking its invariants after every
 * step and that nothing is held at the end: seeded runs (with and without chaos faults) that
 * {@code mvn verify} always runs, and a Jazzer fuzz test ({@code JAZZER_FUZZ=1} to fuzz).
 */
final class RandomOperationsTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void invariantsHoldWithoutFaults(final long seed) {
        run(seed, FaultPlan.NONE, 600);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void theRunsExerciseSuccessfulMapsBindsAndCopies(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        try (SimulatedXen xen = SimulatedXen.builder().seed(seed).grantEntries(64).build();
             RandomOperations ops = new RandomOperations(xen, random::nextInt)) {
            for (int i = 0; i < 1_200; i++) {
                ops.step();
            }
            assertTrue(ops.successes(0) > 0 && ops.successes(1) > 0 && ops.successes(6) > 0 && ops.successes(11) > 0
                && ops.successes(14) > 0, ops::trace);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})
    void invariantsHoldUnderChaos(final long seed) {
        run(seed, FaultPlan.chaos(0.05), 600);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {41, 42})
    void aSeedReplaysExactly(final long seed) {
        final String a = run(seed, FaultPlan.chaos(0.1), 300);
        final String b = run(seed, FaultPlan.chaos(0.1), 300);
        assertEquals(a, b);
    }

    private static String run(final long seed, final FaultPlan plan, final int steps) {
        final SplittableRandom random = new SplittableRandom(seed);
        try (SimulatedXen xen = SimulatedXen.builder().seed(seed).grantEntries(64).faultPlan(plan).build()) {
            final RandomOperations ops = new RandomOperations(xen, random::nextInt);
            try (ops) {
                for (int i = 0; i < steps; i++) {
                    ops.step();
                }
            }
            assertTrue(ops.expectedFailures() < steps, "every operation failed");
            return ops.trace() + xen.faultLog().entries();
        }
    }

    @FuzzTest(maxDuration = "20s")
    void invariantsHoldForAnyOperationSequence(final FuzzedDataProvider data) {
        final long seed = data.consumeLong();
        final boolean chaos = data.consumeBoolean();
        try (SimulatedXen xen = SimulatedXen.builder().seed(seed).grantEntries(32)
            .faultPlan(chaos ? FaultPlan.chaos(0.1) : FaultPlan.NONE).build();
             RandomOperations ops = new RandomOperations(xen, bound -> data.consumeInt(0, Math.max(0, bound - 1)))) {
            for (int i = 0; i < 200 && data.remainingBytes() > 0; i++) {
                ops.step();
            }
        }
    }
}
