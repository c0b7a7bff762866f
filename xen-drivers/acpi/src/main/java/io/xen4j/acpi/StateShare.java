package io.xen4j.acpi;

/**
 * How one C- or P-state of a physical CPU was used between two readings of Xen's
 * power-management statistics, as {@code xenpm start}/{@code stop} print it.
 *
 * @param state          the state's index (C0, C1, ... or P0, P1, ...)
 * @param entries        how many times the CPU entered it in the interval
 * @param residencyNanos how long the CPU was in it in the interval
 * @param totalNanos     the residency of all states in the interval, the share's denominator
 */
public record StateShare(int state, long entries, long residencyNanos, long totalNanos) {
    /**
     * Checks the values.
     *
     * @param state          0 or more
     * @param entries        0 or more
     * @param residencyNanos 0..{@code totalNanos}
     * @param totalNanos     0 or more
     */
    public StateShare {
        if (state < 0 || entries < 0 || residencyNanos < 0 || totalNanos < 0 || residencyNanos > totalNanos) {
            throw new IllegalArgumentException("state=" + state + " entries=" + entries + " residencyNanos="
                + residencyNanos + " totalNanos=" + totalNanos + ": need counts >= 0 and residency <= total");
        }
    }

    /**
     * The share of the interval spent in this state.
     *
     * @return 0.0 .. 1.0; 0.0 when nothing was recorded at all
     */
    public double fraction() {
        return totalNanos == 0 ? 0.0 : (double) residencyNanos / totalNanos;
    }
}
