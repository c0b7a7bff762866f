package io.xen4j.hal.memory;

import io.xen4j.abi.platform.XenProcessorPx;
import io.xen4j.abi.platform.Xenpf;
import io.xen4j.abi.platform.XenpfSetProcessorPminfo;
import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import java.util.Arrays;
import java.util.BitSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The physical CPUs of the simulated host, as far as {@code XENPF_getidletime} and
 * {@code XEN_SYSCTL_get_pmstat} see them: each is online or not and spends a set share of Xen time
 * busy; its idle counter grows with the virtual clock by the rest. Tests set the load and watch
 * what a driver computes from two readings.
 *
 * <p><b>C-states.</b> Each CPU has C0 and C1 (what Xen reports when dom0 uploaded no
 * {@code _CST}) or as many as {@link #setCStates} gives it, up to {@value #MAX_C_STATES}; its idle
 * time goes to the one idle state {@link #setIdleState} names (C1 at first). Each started
 * {@link #idlePeriodNanos()} of residency in a state counts as one entry into it, as if the CPU
 * woke once per scheduler tick; C0's usage is the sum of the idle states' (every idle period ends
 * in C0) and its residency the time not idle. The simulated CPUs have no residency MSRs, so every
 * package and core counter is {@link CxStatistics#NO_COUNTER}.
 *
 * <p><b>P-states.</b> A CPU has none until {@link #setPStates} gives it a frequency table (Xen
 * then answers {@code ENODEV}, as it does without a cpufreq driver); {@link #setPState} moves it,
 * counting the transition, and the residency of each state grows with the virtual clock while it
 * is current.
 *
 * <p><b>Uploads.</b> A {@code XENPF_set_processor_pminfo} upload for ACPI id {@code n} applies to
 * pcpu {@code n} (the simulated host numbers its CPUs by ACPI id): C-states give it
 * {@code count + 1} C-states (C0 and the uploaded ones, at most {@value #MAX_C_STATES}), P-states
 * with {@code XEN_PX_PSS} set give it their frequency table. Uploads for ids without a pcpu, or
 * with counts Xen would refuse, are only recorded.
 *
 * <p>The counters are exact: a CPU that is {@code busyPpm} parts per million busy for {@code d}
 * nanoseconds gains {@code floor(d * (1_000_000 - busyPpm) / 1_000_000)} nanoseconds of idle time.
 * Every CPU starts online and fully idle since Xen time 0, so a host started at time {@code t}
 * reports {@code t} nanoseconds of idle time per CPU.
 *
 * <p>Thread-safe: every method takes the hypervisor lock.
 */
public final class PhysicalCpus {
    /** Parts per million: the unit of a CPU's busy share. */
    public static final int PPM = 1_000_000;
    /** The most C-states, C0 included: Xen's {@code ACPI_PROCESSOR_MAX_POWER}. */
    public static final int MAX_C_STATES = 8;
    /** Residency per counted C-state entry: one 1 ms tick. */
    public static final long IDLE_PERIOD_NANOS = 1_000_000;

    private final Hypervisor hv;
    private final long[] idleAtMark;
    private final long[] mark;
    private final int[] busyPpm;
    private final boolean[] online;
    /** Per CPU, per C-state: idle residency up to {@code mark}; index 0 unused (C0 is derived). */
    private final long[][] cResidencyAtMark;
    private final int[] idleState;
    private final @Nullable PStates[] pstates;

    /** One CPU's P-state table and statistics. */
    private static final class PStates {
        final long[] mhz;
        final long[] residency;
        final long[] count;
        final long[] transitions;
        int current;
        int last;
        long since;

        PStates(final long[] mhz, final long now) {
            this.mhz = mhz.clone();
            this.residency = new long[mhz.length];
            this.count = new long[mhz.length];
            this.transitions = new long[mhz.length * mhz.length];
            this.since = now;
        }

        void accrue(final long now) {
            residency[current] += now - since;
            since = now;
        }
    }

    PhysicalCpus(final Hypervisor hv, final int count) {
        this.hv = hv;
        this.idleAtMark = new long[count];
        this.mark = new long[count];
        this.busyPpm = new int[count];
        this.online = new boolean[count];
        Arrays.fill(online, true);
        this.cResidencyAtMark = new long[count][2];
        this.idleState = new int[count];
        Arrays.fill(idleState, 1);
        this.pstates = new PStates[count];
    }

    /**
     * The number of physical CPUs (the builder's {@code physicalCpus}).
     *
     * @return the count
     */
    public int count() {
        return idleAtMark.length;
    }

    /**
     * Sets the share of time a CPU is busy from now on; the idle time it gained so far is kept.
     *
     * @param cpu     the CPU, 0..{@code count() - 1}
     * @param busyPpm parts per million busy, 0 (idle) .. {@value #PPM} (never idle)
     * @throws IllegalArgumentException naming the CPU or the share out of range
     */
    public void setBusyPpm(final int cpu, final int busyPpm) {
        checkCpu(cpu);
        if (busyPpm < 0 || busyPpm > PPM) {
            throw new IllegalArgumentException("pcpu " + cpu + " busyPpm=" + busyPpm + ": need 0.." + PPM);
        }
        hv.lock.lock();
        try {
            advanceMark(cpu, hv.now());
            this.busyPpm[cpu] = busyPpm;
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Takes a CPU offline or brings it back: an offline CPU gains no idle time and is left out of
     * {@code XENPF_getidletime}'s answer, as Xen leaves out CPUs that are not online.
     *
     * @param cpu    the CPU, 0..{@code count() - 1}
     * @param online whether it is online
     * @throws IllegalArgumentException naming the CPU out of range
     */
    public void setOnline(final int cpu, final boolean online) {
        checkCpu(cpu);
        hv.lock.lock();
        try {
            advanceMark(cpu, hv.now());
            this.online[cpu] = online;
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * The idle time a CPU has accumulated by the current Xen time.
     *
     * @param cpu the CPU, 0..{@code count() - 1}
     * @return nanoseconds
     * @throws IllegalArgumentException naming the CPU out of range
     */
    public long idleNanos(final int cpu) {
        checkCpu(cpu);
        hv.lock.lock();
        try {
            return idleAt(cpu, hv.now());
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Gives a CPU {@code count} C-states, C0 included (what an uploaded {@code _CST} does). The
     * residency of the states it keeps is kept; the idle state moves down to the deepest one left.
     *
     * @param cpu   the CPU, 0..{@code count() - 1}
     * @param count 2..{@value #MAX_C_STATES}
     * @throws IllegalArgumentException naming the CPU or the count out of range
     */
    public void setCStates(final int cpu, final int count) {
        checkCpu(cpu);
        if (count < 2 || count > MAX_C_STATES) {
            throw new IllegalArgumentException("pcpu " + cpu + " C-states=" + count + ": need 2.." + MAX_C_STATES);
        }
        hv.lock.lock();
        try {
            advanceMark(cpu, hv.now());
            final long[] kept = Arrays.copyOf(cResidencyAtMark[cpu], count);
            if (idleState[cpu] >= count) {
                // The states dropped took residency with them, as a re-upload resets Xen's counters.
                idleState[cpu] = count - 1;
            }
            cResidencyAtMark[cpu] = kept;
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Sets the C-state a CPU's idle time goes to from now on.
     *
     * @param cpu   the CPU, 0..{@code count() - 1}
     * @param state 1..(its C-states - 1)
     * @throws IllegalArgumentException naming the CPU or the state out of range
     */
    public void setIdleState(final int cpu, final int state) {
        checkCpu(cpu);
        hv.lock.lock();
        try {
            final int n = cResidencyAtMark[cpu].length;
            if (state < 1 || state >= n) {
                throw new IllegalArgumentException("pcpu " + cpu + " idle state C" + state + ": it has C1..C" + (n - 1));
            }
            advanceMark(cpu, hv.now());
            idleState[cpu] = state;
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * The residency counted as one C-state entry.
     *
     * @return {@value #IDLE_PERIOD_NANOS}
     */
    public long idlePeriodNanos() {
        return IDLE_PERIOD_NANOS;
    }

    /**
     * Gives a CPU a P-state table (what an uploaded {@code _PSS} does) and starts its statistics:
     * it is in P0, with no transitions and no residency yet.
     *
     * @param cpu          the CPU, 0..{@code count() - 1}
     * @param frequencyMhz the core frequency of each P-state, P0 first; 1..{@value PlatformOps#MAX_PX_STATES}
     *                     positive values
     * @throws IllegalArgumentException naming the CPU, the count or the frequency out of range
     */
    public void setPStates(final int cpu, final long... frequencyMhz) {
        checkCpu(cpu);
        if (frequencyMhz.length < 1 || frequencyMhz.length > PlatformOps.MAX_PX_STATES) {
            throw new IllegalArgumentException("pcpu " + cpu + " P-states=" + frequencyMhz.length + ": need 1.."
                + PlatformOps.MAX_PX_STATES);
        }
        for (int i = 0; i < frequencyMhz.length; i++) {
            if (frequencyMhz[i] <= 0) {
                throw new IllegalArgumentException("pcpu " + cpu + " P" + i + " frequencyMhz=" + frequencyMhz[i]
                    + ": must be > 0");
            }
        }
        hv.lock.lock();
        try {
            pstates[cpu] = new PStates(frequencyMhz, hv.now());
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Moves a CPU to a P-state, as the cpufreq governor would: the time since the last move goes
     * to the state it leaves, and a move to another state counts one transition and one entry.
     * Moving to the current state changes nothing.
     *
     * @param cpu   the CPU, 0..{@code count() - 1}
     * @param state 0..(its P-states - 1)
     * @throws IllegalArgumentException naming the CPU or the state out of range, or a CPU without
     *                                  P-states
     */
    public void setPState(final int cpu, final int state) {
        checkCpu(cpu);
        hv.lock.lock();
        try {
            final PStates p = pstates[cpu];
            if (p == null) {
                throw new IllegalArgumentException("pcpu " + cpu + " has no P-states: setPStates first");
            }
            if (state < 0 || state >= p.mhz.length) {
                throw new IllegalArgumentException("pcpu " + cpu + " P" + state + ": it has P0..P" + (p.mhz.length - 1));
            }
            p.accrue(hv.now());
            if (state != p.current) {
                p.transitions[p.current * p.mhz.length + state]++;
                p.count[state]++;
                p.last = p.current;
                p.current = state;
            }
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Applies a {@code XENPF_set_processor_pminfo} upload, under the hypervisor lock held by the
     * caller; see the class comment for what applies.
     *
     * @param pminfo the structure's bytes
     * @param states the array its handle points to
     */
    void applyUpload(final byte[] pminfo, final byte[] states) {
        if (pminfo.length < XenpfSetProcessorPminfo.LENGTH) {
            return;
        }
        final XenpfSetProcessorPminfo info = new XenpfSetProcessorPminfo().wrap(new UnsafeBuffer(pminfo), 0);
        final int cpu = info.id();
        if (cpu < 0 || cpu >= count()) {
            return;
        }
        if (info.type() == Xenpf.XEN_PM_CX) {
            final int cx = info.powerCount();
            if (cx >= 1 && cx < MAX_C_STATES) {
                setCStates(cpu, cx + 1);
            }
        } else if (info.type() == Xenpf.XEN_PM_PX && (info.perfFlags() & Xenpf.XEN_PX_PSS) != 0) {
            final int n = info.perfStateCount();
            if (n < 1 || n > PlatformOps.MAX_PX_STATES || (long) n * XenProcessorPx.LENGTH != states.length) {
                return;
            }
            final long[] mhz = new long[n];
            final XenProcessorPx px = new XenProcessorPx();
            final UnsafeBuffer array = new UnsafeBuffer(states);
            for (int i = 0; i < n; i++) {
                mhz[i] = px.wrap(array, i * XenProcessorPx.LENGTH).coreFrequency();
                if (mhz[i] <= 0) {
                    return;
                }
            }
            setPStates(cpu, mhz);
        }
    }

    /**
     * What {@code PMSTAT_get_cxstat} answers, under the hypervisor lock held by the caller.
     *
     * @throws XenHalException {@link Errno#EINVAL} for a CPU that does not exist or is offline
     */
    CxStatistics cxSnapshot(final int cpu, final String op) {
        checkPmstatCpu(cpu, op);
        final long now = hv.now();
        final long idle = idleAt(cpu, now);
        final long[] residency = cResidencyAtMark[cpu].clone();
        residency[idleState[cpu]] += idle - idleAtMark[cpu];
        final long[] usage = new long[residency.length];
        for (int c = 1; c < residency.length; c++) {
            usage[c] = residency[c] / IDLE_PERIOD_NANOS + (residency[c] % IDLE_PERIOD_NANOS == 0 ? 0 : 1);
            usage[0] += usage[c];
        }
        residency[0] = now - idle;
        final long[] pc = new long[PlatformOps.PACKAGE_COUNTER_SLOTS];
        final long[] cc = new long[PlatformOps.CORE_COUNTER_SLOTS];
        Arrays.fill(pc, CxStatistics.NO_COUNTER);
        Arrays.fill(cc, CxStatistics.NO_COUNTER);
        return new CxStatistics(cpu, idle == 0 ? 0 : idleState[cpu], idle, usage, residency, pc, cc);
    }

    /**
     * What {@code PMSTAT_get_pxstat} answers, under the hypervisor lock held by the caller.
     *
     * @throws XenHalException {@link Errno#EINVAL} for a CPU that does not exist or is offline,
     *                         {@link Errno#ENODEV} for one without P-states
     */
    PxStatistics pxSnapshot(final int cpu, final String op) {
        final PStates p = pstatesFor(cpu, op);
        p.accrue(hv.now());
        return new PxStatistics(cpu, p.mhz.length, p.last, p.current, p.mhz, p.residency, p.count, p.transitions);
    }

    /** What {@code PMSTAT_reset_pxstat} does, under the hypervisor lock held by the caller. */
    void pxReset(final int cpu, final String op) {
        final PStates p = pstatesFor(cpu, op);
        Arrays.fill(p.residency, 0);
        Arrays.fill(p.count, 0);
        Arrays.fill(p.transitions, 0);
        p.since = hv.now();
    }

    private PStates pstatesFor(final int cpu, final String op) {
        checkPmstatCpu(cpu, op);
        final PStates p = pstates[cpu];
        if (p == null) {
            throw new XenHalException(op, Errno.ENODEV, "no cpufreq data for pcpu " + cpu
                + ": the simulated host has no P-states for it (PhysicalCpus.setPStates)");
        }
        return p;
    }

    private void checkPmstatCpu(final int cpu, final String op) {
        if (cpu >= count()) {
            throw new XenHalException(op, Errno.EINVAL, "pcpu " + cpu + " does not exist: the host has pcpus 0.."
                + (count() - 1));
        }
        if (!online[cpu]) {
            throw new XenHalException(op, Errno.EINVAL, "pcpu " + cpu + " is offline");
        }
    }

    /**
     * What {@code XENPF_getidletime} does, under the hypervisor lock held by the caller: for each
     * CPU in {@code cpus}, fills its idle time, or clears its bit when it does not exist, is
     * offline or has no idle time yet (Xen's {@code get_cpu_idle_time()} returned 0).
     *
     * @return the Xen time of the snapshot
     */
    long snapshot(final BitSet cpus, final long[] idleNanos) {
        final long now = hv.now();
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            final long idle = cpu < count() && online[cpu] ? idleAt(cpu, now) : 0;
            if (idle == 0) {
                cpus.clear(cpu);
            } else {
                idleNanos[cpu] = idle;
            }
        }
        return now;
    }

    private void advanceMark(final int cpu, final long now) {
        final long idle = idleAt(cpu, now);
        cResidencyAtMark[cpu][idleState[cpu]] += idle - idleAtMark[cpu];
        idleAtMark[cpu] = idle;
        mark[cpu] = now;
    }

    private long idleAt(final int cpu, final long now) {
        if (!online[cpu]) {
            return idleAtMark[cpu];
        }
        final long elapsed = now - mark[cpu];
        final long idlePpm = PPM - busyPpm[cpu];
        // Split the product so that it cannot overflow for any elapsed time a long can hold.
        return idleAtMark[cpu] + elapsed / PPM * idlePpm + elapsed % PPM * idlePpm / PPM;
    }

    private void checkCpu(final int cpu) {
        if (cpu < 0 || cpu >= count()) {
            throw new IllegalArgumentException("pcpu " + cpu + ": the host has pcpus 0.." + (count() - 1));
        }
    }

    @Override
    public String toString() {
        return "PhysicalCpus(" + count() + ")";
    }
}
