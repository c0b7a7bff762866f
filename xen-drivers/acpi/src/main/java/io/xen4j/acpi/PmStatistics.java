package io.xen4j.acpi;

import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Reads Xen's power-management statistics through the HAL: the per-CPU idle time of
 * {@code XENPF_getidletime} and the idle share of each physical CPU between two readings (what
 * Linux's cpufreq governors in {@code cpufreq=dom0-kernel} mode compute; Xen answers that call with
 * {@code ENOSYS} unless it was booted so), and the C- and P-state statistics of
 * {@code XEN_SYSCTL_get_pmstat} with each state's share between two readings (what
 * {@code xenpm start}/{@code stop} print). Only the control domain may read them.
 *
 * <p>{@link #sample()}, {@link #cStates} and {@link #pStates} are the I/O; {@link #idleBetween},
 * {@link #cStatesBetween}, {@link #pStatesBetween} and {@link #averageFrequencyMhz} are pure and
 * tested on their own.
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

    /**
     * Reads a physical CPU's C-state statistics ({@code PMSTAT_get_cxstat}).
     *
     * @param cpu the physical CPU
     * @return the statistics
     * @throws XenHalException from the HAL, naming the CPU and the errno
     */
    public CxStatistics cStates(final int cpu) {
        return ops.cxStatistics(cpu);
    }

    /**
     * Reads a physical CPU's P-state statistics ({@code PMSTAT_get_pxstat}).
     *
     * @param cpu the physical CPU
     * @return the statistics
     * @throws XenHalException from the HAL, naming the CPU and the errno ({@code ENODEV} when Xen
     *                         runs no cpufreq driver)
     */
    public PxStatistics pStates(final int cpu) {
        return ops.pxStatistics(cpu);
    }

    /**
     * Each C-state's entries and residency between two readings of one CPU, C0 first; the
     * shares are of the total residency, which is the Xen time between the readings.
     *
     * @param before the earlier reading
     * @param after  the later reading, of the same CPU with the same states
     * @return one entry per C-state
     * @throws IllegalArgumentException if the readings are of different CPUs or state sets, or a
     *                                  counter went back (the CPU's C-states were re-uploaded)
     */
    public static List<StateShare> cStatesBetween(final CxStatistics before, final CxStatistics after) {
        if (before.cpu() != after.cpu() || before.stateCount() != after.stateCount()) {
            throw new IllegalArgumentException("readings of pcpu " + before.cpu() + " (" + before.stateCount()
                + " C-states) and pcpu " + after.cpu() + " (" + after.stateCount() + "): need one CPU, one state set");
        }
        final int n = before.stateCount();
        final long[] entries = new long[n];
        final long[] residency = new long[n];
        long total = 0;
        for (int c = 0; c < n; c++) {
            entries[c] = gained("pcpu " + before.cpu() + " C" + c + " usage", before.usage(c), after.usage(c));
            residency[c] = gained("pcpu " + before.cpu() + " C" + c + " residency", before.residencyNanos(c),
                after.residencyNanos(c));
            total = Math.addExact(total, residency[c]);
        }
        final List<StateShare> out = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            out.add(new StateShare(c, entries[c], residency[c], total));
        }
        return out;
    }

    /**
     * Each P-state's entries and residency between two readings of one CPU, P0 first.
     *
     * @param before the earlier reading
     * @param after  the later reading, of the same CPU with the same states
     * @return one entry per P-state
     * @throws IllegalArgumentException if the readings are of different CPUs or state tables, or a
     *                                  counter went back (the statistics were reset in between)
     */
    public static List<StateShare> pStatesBetween(final PxStatistics before, final PxStatistics after) {
        if (before.cpu() != after.cpu() || before.stateCount() != after.stateCount()) {
            throw new IllegalArgumentException("readings of pcpu " + before.cpu() + " (" + before.stateCount()
                + " P-states) and pcpu " + after.cpu() + " (" + after.stateCount() + "): need one CPU, one state table");
        }
        final int n = before.stateCount();
        final long[] entries = new long[n];
        final long[] residency = new long[n];
        long total = 0;
        for (int p = 0; p < n; p++) {
            if (before.frequencyMhz(p) != after.frequencyMhz(p)) {
                throw new IllegalArgumentException("pcpu " + before.cpu() + " P" + p + " was " + before.frequencyMhz(p)
                    + " MHz and is " + after.frequencyMhz(p) + " MHz: the state table changed");
            }
            entries[p] = gained("pcpu " + before.cpu() + " P" + p + " count", before.count(p), after.count(p));
            residency[p] = gained("pcpu " + before.cpu() + " P" + p + " residency", before.residencyNanos(p),
                after.residencyNanos(p));
            total = Math.addExact(total, residency[p]);
        }
        final List<StateShare> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            out.add(new StateShare(p, entries[p], residency[p], total));
        }
        return out;
    }

    /**
     * The CPU's mean frequency between two readings, each P-state's frequency weighted by the
     * time spent in it.
     *
     * @param before the earlier reading
     * @param after  the later reading
     * @return MHz, rounded down; the current state's frequency when no time was recorded
     * @throws IllegalArgumentException as {@link #pStatesBetween} does
     */
    public static long averageFrequencyMhz(final PxStatistics before, final PxStatistics after) {
        final List<StateShare> shares = pStatesBetween(before, after);
        BigInteger weighted = BigInteger.ZERO;
        long total = 0;
        for (final StateShare s : shares) {
            weighted = weighted.add(BigInteger.valueOf(s.residencyNanos())
                .multiply(BigInteger.valueOf(after.frequencyMhz(s.state()))));
            total = s.totalNanos();
        }
        if (total == 0) {
            return after.frequencyMhz(after.current());
        }
        // BigInteger: nanoseconds times MHz overflows a long after about 40 days at 2 GHz.
        return weighted.divide(BigInteger.valueOf(total)).longValueExact();
    }

    private static long gained(final String what, final long before, final long after) {
        // Xen's counters are unsigned 64-bit; one going back means a reset or re-upload, not a wrap.
        if (Long.compareUnsigned(after, before) < 0) {
            throw new IllegalArgumentException(what + " went back from " + Long.toUnsignedString(before) + " to "
                + Long.toUnsignedString(after) + ": the statistics were reset between the readings");
        }
        final long d = after - before;
        if (d < 0) {
            throw new IllegalArgumentException(what + " grew by " + Long.toUnsignedString(d) + ": beyond 2^63");
        }
        return d;
    }

    @Override
    public String toString() {
        return "PmStatistics(cpus 0.." + (maxCpus - 1) + ")";
    }
}
