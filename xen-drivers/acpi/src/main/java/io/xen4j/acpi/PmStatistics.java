package io.xen4j.acpi;

import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Reads Xen's power-management statistics: the per-CPU idle time of {@code XENPF_getidletime}
 * through the HAL, and the idle share of each physical CPU between two readings (what
 * {@code xenpm} and Linux's cpufreq governors in {@code cpufreq=dom0-kernel} mode compute). Only
 * the control domain may read them, and Xen answers {@code ENOSYS} unless it was booted with
 * {@code cpufreq=dom0-kernel}.
 *
 * <p>{@link #sample()} is the I/O; {@link #idleBetween} is pure and tested on its own.
 */
public final class PmStatistics {
    private final PlatformOps ops;
    private final int maxCpus;

    /**
     * Creates a reader over a host's platform operations.
     *
     * @param host    the control domain's host
     * @param maxCpus how many physical CPUs to ask about (0..maxCpus-1), 1..{@value PlatformOps#MAX_IDLE_CPUS}
     */
    public PmStatistics(final XenHost host, final int maxCpus) {
        this(host.platformOps(), maxCpus);
    }

    /**
     * Creates a reader over platform operations.
     *
     * @param ops     the operations
     * @param maxCpus how many physical CPUs to ask about (0..maxCpus-1), 1..{@value PlatformOps#MAX_IDLE_CPUS}
     */
    public PmStatistics(final PlatformOps ops, final int maxCpus) {
        this.ops = Objects.requireNonNull(ops, "ops");
        if (maxCpus < 1 || maxCpus > PlatformOps.MAX_IDLE_CPUS) {
            throw new IllegalArgumentException("maxCpus=" + maxCpus + ": need 1.." + PlatformOps.MAX_IDLE_CPUS);
        }
        this.maxCpus = maxCpus;
    }

    /**
     * Reads the idle time of every CPU below {@code maxCpus} that the hypervisor reports.
     *
     * @return the sample
     * @throws XenHalException from the HAL, naming the operation and the errno ({@code ENOSYS}
     *                         without {@code cpufreq=dom0-kernel}, {@code EPERM} outside dom0)
     */
    public IdleSample sample() {
        final BitSet cpus = new BitSet(maxCpus);
        cpus.set(0, maxCpus);
        final long[] idle = new long[maxCpus];
        final long now = ops.idleTimes(cpus, idle);
        return new IdleSample(now, cpus, idle);
    }

    /**
     * The idle time of each CPU that reported in both samples, in CPU order. A CPU whose counter
     * went back (it was taken offline and its counter restarted, or the samples are of different
     * hosts) is left out rather than given a negative share. A gain slightly above the elapsed time
     * is counted as the elapsed time: Xen takes {@code now} once and then reads each CPU's idle
     * time a little later, so a fully idle CPU can gain a few microseconds more than {@code now}.
     *
     * @param before the earlier sample
     * @param after  the later sample
     * @return one entry per CPU in both samples with a consistent counter
     * @throws IllegalArgumentException if {@code after} is not later than {@code before}
     */
    public static List<CpuIdle> idleBetween(final IdleSample before, final IdleSample after) {
        final long elapsed = after.nowNanos() - before.nowNanos();
        if (elapsed <= 0) {
            throw new IllegalArgumentException("samples at now=" + before.nowNanos() + "ns then now="
                + after.nowNanos() + "ns: the second must be later");
        }
        final BitSet both = before.reported();
        both.and(after.reported());
        final List<CpuIdle> result = new ArrayList<>(both.cardinality());
        for (int cpu = both.nextSetBit(0); cpu >= 0; cpu = both.nextSetBit(cpu + 1)) {
            final long gained = after.idleNanos(cpu) - before.idleNanos(cpu);
            if (gained >= 0) {
                result.add(new CpuIdle(cpu, Math.min(gained, elapsed), elapsed));
            }
        }
        return result;
    }

    /**
     * Takes a sample, lets {@code between} run (a sleep on a real host, a clock advance in a
     * simulated one), takes another, and returns each CPU's idle share over that interval.
     *
     * @param between what runs between the two samples
     * @return one entry per CPU, as {@link #idleBetween} gives them
     * @throws XenHalException from the HAL
     */
    public List<CpuIdle> measure(final Runnable between) {
        final IdleSample before = sample();
        between.run();
        return idleBetween(before, sample());
    }

    @Override
    public String toString() {
        return "PmStatistics(cpus 0.." + (maxCpus - 1) + ")";
    }
}
