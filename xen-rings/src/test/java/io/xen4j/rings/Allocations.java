package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Counts the bytes the current thread allocates, with HotSpot's per-thread counter
 * ({@code com.sun.management.ThreadMXBean}). Looked up reflectively: the tests compile inside the
 * {@code io.xen4j.rings} module, which does not read {@code jdk.management}.
 */
final class Allocations {
    private static final MethodHandle ALLOCATED_BYTES = allocatedBytesHandle();

    private Allocations() {
    }

    private static MethodHandle allocatedBytesHandle() {
        try {
            final Object bean = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
            final Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            return MethodHandles.publicLookup()
                .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                .bindTo(bean);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("no per-thread allocation counter in this JVM", e);
        }
    }

    static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact();
        } catch (final Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Warms {@code action} up, then runs it {@code times} and asserts that it allocated nothing.
     * A one-off allocation by the JVM on this thread (class loading, a Java agent retransforming
     * classes) can land in a measured round, so up to five rounds are measured and one must be 0.
     */
    static void assertNone(final String what, final int times, final Runnable action) {
        for (int i = 0; i < times; i++) {
            action.run();
        }
        final StringBuilder rounds = new StringBuilder();
        for (int round = 0; round < 5; round++) {
            final long before = allocatedBytes();
            for (int i = 0; i < times; i++) {
                action.run();
            }
            final long allocated = allocatedBytes() - before;
            if (allocated == 0) {
                return;
            }
            rounds.append(' ').append(allocated);
        }
        assertEquals("0", rounds.toString().strip(), what + ": bytes allocated in rounds of " + times + " runs");
    }
}
