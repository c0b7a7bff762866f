package io.xen4j.benchmarks.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every workload {@link BlkAB} and {@link BlkCpuRatio} run works on a fresh set-up and counts its
 * operations as the ratios assume; the aligned rows' memory starts at a page boundary, as they
 * claim.
 */
final class BlkBenchmarkWorkloadsTest {
    private static @Nullable BlkBenchmark bench;

    @BeforeAll
    static void setUp() throws Exception {
        bench = new BlkBenchmark();
        bench.setUp();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (bench != null) {
            bench.tearDown();
        }
    }

    private static BlkBenchmark bench() {
        return java.util.Objects.requireNonNull(bench, "set up");
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct4k", "pread4k", "floor4k", "granted4k", "invoker4k", "qd8", "qd32", "direct64kread",
        "pread64kread", "granted64kread", "direct64kwrite", "pwrite64kwrite", "granted64kwrite", "direct64kreadaligned",
        "direct64kwritealigned", "null4k"})
    void eachWorkloadRunsAndCountsItsOperations(final String workload) throws Exception {
        final int depth = workload.startsWith("qd") ? Integer.parseInt(workload.substring(2)) : 1;
        assertEquals(5L * depth, bench().repeat(workload, 5), workload);
    }

    @Test
    void anUnknownWorkloadIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> bench().repeat("direct4kk", 1));
    }

    @Test
    void theAlignedRowsBufferStartsAtAPageBoundary() throws Exception {
        final ByteBuffer b = bench().directRead64kSequentialAligned();
        assertEquals(0, MemorySegment.ofBuffer(b).address() % 4096);
        assertEquals(65536, b.capacity());
        assertEquals(65536, b.position(), "the read filled it");
    }
}
