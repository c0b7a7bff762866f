package io.xen4j.hal.memory;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The physical CPUs of the simulated host, as far as {@code XENPF_getidletime} sees them: each is
 * online or not and spends a set share of Xen time busy; its idle counter grows with the virtual
 * clock by the rest. Tests set the load and watch what a driver computes from two readings.
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

    private final Hypervisor hv;
    private final long[] idleAtMark;
    private final long[] mark;
    private final int[] busyPpm;
    private final boolean[] online;

    PhysicalCpus(final Hypervisor hv, final int count) {
        this.hv = hv;
        this.idleAtMark = new long[count];
        this.mark = new long[count];
        this.busyPpm = new int[count];
        this.online = new boolean[count];
        Arrays.fill(online, true);
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
        idleAtMark[cpu] = idleAt(cpu, now);
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
