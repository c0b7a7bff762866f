package io.xen4j.hal.api;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One physical CPU's C-state statistics as {@code XEN_SYSCTL_get_pmstat} ({@code PMSTAT_get_cxstat})
 * reports them, what {@code xenpm get-cpuidle-states} prints: per C-state (C0 first) how often it
 * was entered and how long the CPU spent in it, the state it was last in, its idle time since
 * boot, and the hardware package and core C-state residency counters where the CPU has them.
 * Immutable: arrays are copied in and out.
 */
public final class CxStatistics {
    /** What {@link #packageResidency} and {@link #coreResidency} return for a counter the CPU lacks. */
    public static final long NO_COUNTER = -1;

    private final int cpu;
    private final int lastState;
    private final long idleNanos;
    private final long[] usage;
    private final long[] residencyNanos;
    private final long[] packageResidency;
    private final long[] coreResidency;

    /**
     * Creates the statistics.
     *
     * @param cpu              the physical CPU
     * @param lastState        the C-state it was last in (0 for C0)
     * @param idleNanos        its idle time since boot, in nanoseconds of Xen system time
     * @param usage            per C-state, C0 first: how many times it was entered
     * @param residencyNanos   per C-state: nanoseconds spent in it; as long as {@code usage}
     * @param packageResidency the package C-state counters, PC1 at index 0, {@link #NO_COUNTER}
     *                         where there is none
     * @param coreResidency    the core C-state counters, CC1 at index 0, {@link #NO_COUNTER}
     *                         where there is none
     * @throws IllegalArgumentException if the CPU or the last state is negative, the last state is
     *                                  not below the number of states (unless there are none), or
     *                                  {@code usage} and {@code residencyNanos} differ in length
     */
    public CxStatistics(final int cpu, final int lastState, final long idleNanos, final long[] usage,
                        final long[] residencyNanos, final long[] packageResidency, final long[] coreResidency) {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu=" + cpu + ": must be >= 0");
        }
        if (usage.length != residencyNanos.length) {
            throw new IllegalArgumentException("pcpu " + cpu + " usage.length=" + usage.length
                + " residencyNanos.length=" + residencyNanos.length + ": one of each per C-state");
        }
        if (lastState < 0 || usage.length > 0 && lastState >= usage.length) {
            throw new IllegalArgumentException("pcpu " + cpu + " lastState=" + lastState + ": need 0.."
                + (usage.length - 1));
        }
        this.cpu = cpu;
        this.lastState = lastState;
        this.idleNanos = idleNanos;
        this.usage = usage.clone();
        this.residencyNanos = residencyNanos.clone();
        this.packageResidency = packageResidency.clone();
        this.coreResidency = coreResidency.clone();
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
     * How many C-states are reported, C0 included (Xen reports C0 and C1 when dom0 uploaded no
     * {@code _CST}; 0 when the CPU has no C-state data at all).
     *
     * @return the count
     */
    public int stateCount() {
        return usage.length;
    }

    /**
     * The C-state the CPU was last in.
     *
     * @return its index, 0 for C0
     */
    public int lastState() {
        return lastState;
    }

    /**
     * The CPU's idle time since boot ({@code idle_time}), as {@code XENPF_getidletime} gives it.
     *
     * @return nanoseconds; an unsigned 64-bit count
     */
    public long idleNanos() {
        return idleNanos;
    }

    /**
     * How often a C-state was entered (Xen's "usage"; for C0, the sum over the idle states: each
     * idle period ends in C0).
     *
     * @param state 0..{@code stateCount() - 1}
     * @return the count; an unsigned 64-bit value
     */
    public long usage(final int state) {
        return usage[checkState(state)];
    }

    /**
     * How long the CPU spent in a C-state (for C0: the time it was not idle).
     *
     * @param state 0..{@code stateCount() - 1}
     * @return nanoseconds; an unsigned 64-bit value
     */
    public long residencyNanos(final int state) {
        return residencyNanos[checkState(state)];
    }

    /**
     * How many package C-state counter slots were asked for.
     *
     * @return the slot count (PC1 .. PCn)
     */
    public int packageCounterSlots() {
        return packageResidency.length;
    }

    /**
     * A package C-state residency counter, in the CPU's own ticks (the TSC on x86).
     *
     * @param n the package C-state, 1.. {@link #packageCounterSlots()}
     * @return the counter, or {@link #NO_COUNTER} when the CPU has none for it
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public long packageResidency(final int n) {
        return counter(packageResidency, n, "PC");
    }

    /**
     * How many core C-state counter slots were asked for.
     *
     * @return the slot count (CC1 .. CCn)
     */
    public int coreCounterSlots() {
        return coreResidency.length;
    }

    /**
     * A core C-state residency counter, in the CPU's own ticks.
     *
     * @param n the core C-state, 1.. {@link #coreCounterSlots()}
     * @return the counter, or {@link #NO_COUNTER} when the CPU has none for it
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public long coreResidency(final int n) {
        return counter(coreResidency, n, "CC");
    }

    private long counter(final long[] slots, final int n, final String what) {
        if (n < 1 || n > slots.length) {
            throw new IllegalArgumentException("pcpu " + cpu + " " + what + n + ": slots are " + what + "1.." + what
                + slots.length);
        }
        return slots[n - 1];
    }

    private int checkState(final int state) {
        if (state < 0 || state >= usage.length) {
            throw new IllegalArgumentException("pcpu " + cpu + " C" + state + ": it reports C0..C" + (usage.length - 1));
        }
        return state;
    }

    @Override
    public boolean equals(final @Nullable Object o) {
        return o instanceof CxStatistics s && s.cpu == cpu && s.lastState == lastState && s.idleNanos == idleNanos
            && Arrays.equals(s.usage, usage) && Arrays.equals(s.residencyNanos, residencyNanos)
            && Arrays.equals(s.packageResidency, packageResidency) && Arrays.equals(s.coreResidency, coreResidency);
    }

    @Override
    public int hashCode() {
        return (cpu * 31 + lastState) * 31 + Long.hashCode(idleNanos) * 31 + Arrays.hashCode(residencyNanos);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("CxStatistics(pcpu ").append(cpu).append(", last C").append(lastState)
            .append(", idle ").append(Long.toUnsignedString(idleNanos)).append(" ns");
        for (int i = 0; i < usage.length; i++) {
            sb.append(", C").append(i).append(' ').append(Long.toUnsignedString(usage[i])).append("x/")
                .append(Long.toUnsignedString(residencyNanos[i])).append(" ns");
        }
        return sb.append(')').toString();
    }
}
