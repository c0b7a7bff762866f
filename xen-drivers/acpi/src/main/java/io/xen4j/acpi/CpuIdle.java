package io.xen4j.acpi;

/**
 * How long one physical CPU was idle between two {@link IdleSample}s.
 *
 * @param cpu          the physical CPU
 * @param idleNanos    nanoseconds idle between the samples, at most {@code elapsedNanos}
 * @param elapsedNanos Xen system time between the samples, above 0
 */
public record CpuIdle(int cpu, long idleNanos, long elapsedNanos) {
    /**
     * Checks the values.
     *
     * @param cpu          the CPU, at least 0
     * @param idleNanos    0..{@code elapsedNanos}
     * @param elapsedNanos above 0
     */
    public CpuIdle {
        if (cpu < 0 || elapsedNanos <= 0 || idleNanos < 0 || idleNanos > elapsedNanos) {
            throw new IllegalArgumentException("cpu=" + cpu + " idleNanos=" + idleNanos + " elapsedNanos="
                + elapsedNanos + ": need cpu >= 0 and 0 <= idle <= elapsed > 0");
        }
    }

    /**
     * The share of the interval the CPU was idle.
     *
     * @return 0.0 (always busy) .. 1.0 (always idle)
     */
    public double fraction() {
        return (double) idleNanos / elapsedNanos;
    }
}
