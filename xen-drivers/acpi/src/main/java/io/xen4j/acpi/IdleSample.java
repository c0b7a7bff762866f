package io.xen4j.acpi;

import java.util.Arrays;
import java.util.BitSet;
import org.jspecify.annotations.Nullable;

/**
 * One reading of the hypervisor's per-CPU idle time ({@code XENPF_getidletime}): the Xen system
 * time of the snapshot and, for each physical CPU that reported, the nanoseconds it has been idle
 * since boot. Immutable: the bitmap and the array are copied in and out.
 */
public final class IdleSample {
    private final long nowNanos;
    private final BitSet reported;
    private final long[] idleNanos;

    /**
     * Creates a sample.
     *
     * @param nowNanos  the Xen system time of the snapshot
     * @param reported  the CPUs that reported
     * @param idleNanos idle time by CPU; entries of CPUs not in {@code reported} are ignored
     * @throws IllegalArgumentException if a reported CPU has no entry or a negative idle time
     */
    public IdleSample(final long nowNanos, final BitSet reported, final long[] idleNanos) {
        if (reported.length() > idleNanos.length) {
            throw new IllegalArgumentException("cpu=" + (reported.length() - 1) + " reported but idleNanos.length="
                + idleNanos.length);
        }
        final long[] copy = new long[idleNanos.length];
        for (int cpu = reported.nextSetBit(0); cpu >= 0; cpu = reported.nextSetBit(cpu + 1)) {
            if (idleNanos[cpu] < 0) {
                throw new IllegalArgumentException("cpu=" + cpu + " idleNanos=" + idleNanos[cpu] + ": negative");
            }
            copy[cpu] = idleNanos[cpu];
        }
        this.nowNanos = nowNanos;
        this.reported = (BitSet) reported.clone();
        this.idleNanos = copy;
    }

    /**
     * The Xen system time of the snapshot ({@code now}).
     *
     * @return nanoseconds since Xen booted
     */
    public long nowNanos() {
        return nowNanos;
    }

    /**
     * The CPUs that reported.
     *
     * @return a copy
     */
    public BitSet reported() {
        return (BitSet) reported.clone();
    }

    /**
     * Whether a CPU reported.
     *
     * @param cpu the physical CPU
     * @return whether its idle time is in this sample
     */
    public boolean reported(final int cpu) {
        return cpu >= 0 && reported.get(cpu);
    }

    /**
     * A CPU's idle time.
     *
     * @param cpu a CPU that reported
     * @return nanoseconds idle since boot
     * @throws IllegalArgumentException if the CPU did not report
     */
    public long idleNanos(final int cpu) {
        if (!reported(cpu)) {
            throw new IllegalArgumentException("cpu=" + cpu + " did not report in " + this);
        }
        return idleNanos[cpu];
    }

    @Override
    public boolean equals(final @Nullable Object o) {
        return o instanceof IdleSample s && s.nowNanos == nowNanos && s.reported.equals(reported)
            && Arrays.equals(s.idleNanos, idleNanos);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nowNanos) * 31 + reported.hashCode();
    }

    @Override
    public String toString() {
        return "IdleSample(now=" + nowNanos + "ns, cpus " + reported + ")";
    }
}
