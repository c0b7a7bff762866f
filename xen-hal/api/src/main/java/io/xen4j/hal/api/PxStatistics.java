package io.xen4j.hal.api;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One physical CPU's P-state statistics as {@code XEN_SYSCTL_get_pmstat} ({@code PMSTAT_get_pxstat})
 * reports them, what {@code xenpm get-cpufreq-states} prints: per P-state its frequency, how long the
 * CPU ran in it and how often it entered it, the table of transitions between states, and the
 * current, last and usable states. Immutable: arrays are copied in and out.
 */
public final class PxStatistics {
    private final int cpu;
    private final int usable;
    private final int last;
    private final int current;
    private final long[] frequencyMhz;
    private final long[] residencyNanos;
    private final long[] count;
    private final long[] transitions;

    /**
     * Creates the statistics.
     *
     * @param cpu            the physical CPU
     * @param usable         how many P-states the platform allows now ({@code _PPC} applied)
     * @param last           the P-state before the current one
     * @param current        the current P-state
     * @param frequencyMhz   per P-state, P0 first: its core frequency in MHz
     * @param residencyNanos per P-state: nanoseconds spent in it
     * @param count          per P-state: how many times it was entered
     * @param transitions    the {@code n * n} transition counts, row the state left, column the
     *                       state entered, where {@code n} is the number of P-states
     * @throws IllegalArgumentException if the arrays do not agree on the number of states, or a
     *                                  state index is outside it
     */
    public PxStatistics(final int cpu, final int usable, final int last, final int current, final long[] frequencyMhz,
                        final long[] residencyNanos, final long[] count, final long[] transitions) {
        final int n = frequencyMhz.length;
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu=" + cpu + ": must be >= 0");
        }
        if (residencyNanos.length != n || count.length != n || transitions.length != n * n) {
            throw new IllegalArgumentException("pcpu " + cpu + ": " + n + " P-states but residencyNanos.length="
                + residencyNanos.length + " count.length=" + count.length + " transitions.length=" + transitions.length);
        }
        if (n == 0 || usable < 0 || usable > n || last < 0 || last >= n || current < 0 || current >= n) {
            throw new IllegalArgumentException("pcpu " + cpu + " usable=" + usable + " last=" + last + " current="
                + current + ": need 1 or more P-states and each within 0.." + (n - 1));
        }
        this.cpu = cpu;
        this.usable = usable;
        this.last = last;
        this.current = current;
        this.frequencyMhz = frequencyMhz.clone();
        this.residencyNanos = residencyNanos.clone();
        this.count = count.clone();
        this.transitions = transitions.clone();
    }

    /**
     * The physical CPU.
     *
     * @return its number
     */
    public int cpu() {
        return cpu;
    }

    /**
     * How many P-states the CPU has.
     *
     * @return the count, 1..255
     */
    public int stateCount() {
        return frequencyMhz.length;
    }

    /**
     * How many P-states the platform allows now: {@code stateCount()} minus the {@code _PPC} limit.
     *
     * @return the count
     */
    public int usable() {
        return usable;
    }

    /**
     * The P-state before the current one.
     *
     * @return its index
     */
    public int last() {
        return last;
    }

    /**
     * The current P-state.
     *
     * @return its index, 0 for P0 (the fastest)
     */
    public int current() {
        return current;
    }

    /**
     * A P-state's core frequency.
     *
     * @param state 0..{@code stateCount() - 1}
     * @return MHz
     */
    public long frequencyMhz(final int state) {
        return frequencyMhz[checkState(state)];
    }

    /**
     * How long the CPU ran in a P-state.
     *
     * @param state 0..{@code stateCount() - 1}
     * @return nanoseconds; an unsigned 64-bit value
     */
    public long residencyNanos(final int state) {
        return residencyNanos[checkState(state)];
    }

    /**
     * How often the CPU entered a P-state.
     *
     * @param state 0..{@code stateCount() - 1}
     * @return the count; an unsigned 64-bit value
     */
    public long count(final int state) {
        return count[checkState(state)];
    }

    /**
     * How often the CPU went from one P-state to another.
     *
     * @param from the state left
     * @param to   the state entered
     * @return the count; an unsigned 64-bit value
     */
    public long transitions(final int from, final int to) {
        return transitions[checkState(from) * frequencyMhz.length + checkState(to)];
    }

    private int checkState(final int state) {
        if (state < 0 || state >= frequencyMhz.length) {
            throw new IllegalArgumentException("pcpu " + cpu + " P" + state + ": it has P0..P" + (frequencyMhz.length - 1));
        }
        return state;
    }

    @Override
    public boolean equals(final @Nullable Object o) {
        return o instanceof PxStatistics s && s.cpu == cpu && s.usable == usable && s.last == last
            && s.current == current && Arrays.equals(s.frequencyMhz, frequencyMhz)
            && Arrays.equals(s.residencyNanos, residencyNanos) && Arrays.equals(s.count, count)
            && Arrays.equals(s.transitions, transitions);
    }

    @Override
    public int hashCode() {
        return ((cpu * 31 + current) * 31 + last) * 31 + Arrays.hashCode(residencyNanos);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("PxStatistics(pcpu ").append(cpu).append(", current P").append(current)
            .append(", last P").append(last).append(", usable ").append(usable);
        for (int i = 0; i < frequencyMhz.length; i++) {
            sb.append(", P").append(i).append(' ').append(frequencyMhz[i]).append(" MHz ")
                .append(Long.toUnsignedString(count[i])).append("x/").append(Long.toUnsignedString(residencyNanos[i]))
                .append(" ns");
        }
        return sb.append(')').toString();
    }
}
