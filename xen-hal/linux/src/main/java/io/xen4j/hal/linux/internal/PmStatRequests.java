package io.xen4j.hal.linux.internal;

import io.xen4j.abi.sysctl.PmCxStat;
import io.xen4j.abi.sysctl.PmPxStat;
import io.xen4j.abi.sysctl.PmPxVal;
import io.xen4j.abi.sysctl.Sysctl;
import io.xen4j.abi.sysctl.XenSysctl;
import io.xen4j.abi.sysctl.XenSysctlGetPmstat;
import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * The {@code XEN_SYSCTL_get_pmstat} requests as {@link LinuxPlatformOps} lays them out in one
 * hypercall buffer, and the reading of Xen's replies. Pure: the buffer's guest address is a
 * parameter, so tests check the bytes without a hypervisor.
 *
 * <p>Layout: the {@code xen_sysctl} at 0, then the arrays its handles point to, each 8-byte
 * aligned (the sysctl is 136 bytes and every entry a multiple of 8). C-states: {@code triggers}
 * and {@code residencies} ({@code nr} entries each), {@code pc} and {@code cc}
 * ({@value PlatformOps#PACKAGE_COUNTER_SLOTS} and {@value PlatformOps#CORE_COUNTER_SLOTS} entries,
 * preset to {@link CxStatistics#NO_COUNTER}). P-states: {@code trans_pt} ({@code n * n}) then
 * {@code pt} ({@code n} {@code pm_px_val}s).
 */
final class PmStatRequests {
    /** Where the first array starts: right after the {@code xen_sysctl}. */
    static final int ARRAYS_AT = XenSysctl.LENGTH;

    private PmStatRequests() {
    }

    /**
     * Writes a request without arrays ({@code PMSTAT_get_max_cx}, {@code PMSTAT_get_max_px},
     * {@code PMSTAT_reset_*}) into a buffer of at least {@link XenSysctl#LENGTH} bytes.
     */
    static void encodeSimple(final MutableDirectBuffer buffer, final int type, final int cpu) {
        header(buffer, type, cpu);
    }

    /** The number of states a {@code PMSTAT_get_max_cx} reply carries ({@code u.getcx.nr}). */
    static int maxCx(final MutableDirectBuffer buffer) {
        return buffer.getInt(XenSysctl.U_OFFSET + XenSysctlGetPmstat.U_OFFSET + PmCxStat.NR_OFFSET,
            ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of states a {@code PMSTAT_get_max_px} reply carries ({@code u.getpx.total}). */
    static int maxPx(final MutableDirectBuffer buffer) {
        return buffer.getByte(XenSysctl.U_OFFSET + XenSysctlGetPmstat.U_OFFSET + PmPxStat.TOTAL_OFFSET) & 0xFF;
    }

    static int triggersAt() {
        return ARRAYS_AT;
    }

    static int residenciesAt(final int nr) {
        return ARRAYS_AT + Long.BYTES * nr;
    }

    static int packageCountersAt(final int nr) {
        return residenciesAt(nr) + Long.BYTES * nr;
    }

    static int coreCountersAt(final int nr) {
        return packageCountersAt(nr) + Long.BYTES * PlatformOps.PACKAGE_COUNTER_SLOTS;
    }

    /** The buffer length of a {@code PMSTAT_get_cxstat} request for {@code nr} C-states. */
    static int cxBufferLength(final int nr) {
        return coreCountersAt(nr) + Long.BYTES * PlatformOps.CORE_COUNTER_SLOTS;
    }

    /**
     * Writes a {@code PMSTAT_get_cxstat} request for {@code nr} C-states into a buffer of
     * {@link #cxBufferLength} bytes living at guest address {@code address}: the sizes, the four
     * handles, zeroed {@code triggers}/{@code residencies} and sentinel-filled counter slots (Xen
     * writes only the slots with a register behind them).
     */
    static void encodeCxStat(final MutableDirectBuffer buffer, final long address, final int cpu, final int nr) {
        final XenSysctlGetPmstat pm = header(buffer, Sysctl.PMSTAT_GET_CXSTAT, cpu);
        buffer.setMemory(ARRAYS_AT, packageCountersAt(nr) - ARRAYS_AT, (byte) 0);
        for (int i = packageCountersAt(nr); i < cxBufferLength(nr); i += Long.BYTES) {
            buffer.putLong(i, CxStatistics.NO_COUNTER, ByteOrder.LITTLE_ENDIAN);
        }
        pm.getcx()
            .nr(nr)
            .triggers(address + triggersAt())
            .residencies(address + residenciesAt(nr))
            .nrPc(PlatformOps.PACKAGE_COUNTER_SLOTS)
            .nrCc(PlatformOps.CORE_COUNTER_SLOTS)
            .pc(address + packageCountersAt(nr))
            .cc(address + coreCountersAt(nr));
    }

    /**
     * Reads a {@code PMSTAT_get_cxstat} reply to a request for {@code nrAsked} states. Xen lowers
     * {@code nr} to the states it has; more than asked, or a last state outside them, is refused.
     *
     * @throws XenHalException ({@link Errno#EIO}) naming the CPU and the inconsistent value
     */
    static CxStatistics decodeCxStat(final MutableDirectBuffer buffer, final int cpu, final int nrAsked, final String op) {
        final PmCxStat cx = new PmCxStat().wrap(buffer, XenSysctl.U_OFFSET + XenSysctlGetPmstat.U_OFFSET);
        final int nr = cx.nr();
        final int last = cx.last();
        if (nr < 0 || nr > nrAsked) {
            throw new XenHalException(op, Errno.EIO, "Xen reported nr=" + Integer.toUnsignedString(nr)
                + " C-states for pcpu " + cpu + " but arrays for " + nrAsked + " were given");
        }
        if (last < 0 || nr > 0 && last >= nr || nr == 0 && last != 0) {
            throw new XenHalException(op, Errno.EIO, "Xen reported last=" + Integer.toUnsignedString(last)
                + " for pcpu " + cpu + " with " + nr + " C-states");
        }
        final long[] usage = new long[nr];
        final long[] residency = new long[nr];
        for (int i = 0; i < nr; i++) {
            usage[i] = buffer.getLong(triggersAt() + Long.BYTES * i, ByteOrder.LITTLE_ENDIAN);
            residency[i] = buffer.getLong(residenciesAt(nrAsked) + Long.BYTES * i, ByteOrder.LITTLE_ENDIAN);
        }
        final long[] pc = new long[PlatformOps.PACKAGE_COUNTER_SLOTS];
        for (int i = 0; i < pc.length; i++) {
            pc[i] = buffer.getLong(packageCountersAt(nrAsked) + Long.BYTES * i, ByteOrder.LITTLE_ENDIAN);
        }
        final long[] cc = new long[PlatformOps.CORE_COUNTER_SLOTS];
        for (int i = 0; i < cc.length; i++) {
            cc[i] = buffer.getLong(coreCountersAt(nrAsked) + Long.BYTES * i, ByteOrder.LITTLE_ENDIAN);
        }
        return new CxStatistics(cpu, last, cx.idleTime(), usage, residency, pc, cc);
    }

    static int transitionsAt() {
        return ARRAYS_AT;
    }

    static int valuesAt(final int n) {
        return ARRAYS_AT + Long.BYTES * n * n;
    }

    /** The buffer length of a {@code PMSTAT_get_pxstat} request for {@code n} P-states. */
    static int pxBufferLength(final int n) {
        return valuesAt(n) + PmPxVal.LENGTH * n;
    }

    /**
     * Writes a {@code PMSTAT_get_pxstat} request for {@code n} P-states into a buffer of
     * {@link #pxBufferLength} bytes living at guest address {@code address}, the arrays zeroed.
     */
    static void encodePxStat(final MutableDirectBuffer buffer, final long address, final int cpu, final int n) {
        final XenSysctlGetPmstat pm = header(buffer, Sysctl.PMSTAT_GET_PXSTAT, cpu);
        buffer.setMemory(ARRAYS_AT, pxBufferLength(n) - ARRAYS_AT, (byte) 0);
        pm.getpx()
            .total(n)
            .transPt(address + transitionsAt())
            .pt(address + valuesAt(n));
    }

    /**
     * Reads a {@code PMSTAT_get_pxstat} reply to a request for {@code nAsked} states. Xen copies as
     * many entries as it has states whatever was asked, so a different {@code total} means the
     * arrays did not fit the answer (the count changed between the two calls): refused, to be asked
     * again. Xen's writes past the arrays stay inside this request's own pages or fail with
     * {@code EFAULT}: nothing else lives there.
     *
     * @throws XenHalException ({@link Errno#EAGAIN} for a changed count, {@link Errno#EIO} for a
     *                         state index outside the states) naming the CPU
     */
    static PxStatistics decodePxStat(final MutableDirectBuffer buffer, final int cpu, final int nAsked, final String op) {
        final PmPxStat px = new PmPxStat().wrap(buffer, XenSysctl.U_OFFSET + XenSysctlGetPmstat.U_OFFSET);
        final int n = px.total();
        if (n != nAsked) {
            throw new XenHalException(op, Errno.EAGAIN, "pcpu " + cpu + " has " + n + " P-states now, "
                + nAsked + " when asked a moment before; ask again");
        }
        final int usable = px.usable();
        final int last = px.last();
        final int cur = px.cur();
        if (usable > n || last >= n || cur >= n) {
            throw new XenHalException(op, Errno.EIO, "Xen reported usable=" + usable + " last=" + last + " cur=" + cur
                + " for pcpu " + cpu + " with " + n + " P-states");
        }
        final long[] transitions = new long[n * n];
        for (int i = 0; i < transitions.length; i++) {
            transitions[i] = buffer.getLong(transitionsAt() + Long.BYTES * i, ByteOrder.LITTLE_ENDIAN);
        }
        final long[] freq = new long[n];
        final long[] residency = new long[n];
        final long[] count = new long[n];
        final PmPxVal v = new PmPxVal();
        for (int i = 0; i < n; i++) {
            v.wrap(buffer, valuesAt(n) + PmPxVal.LENGTH * i);
            freq[i] = v.freq();
            residency[i] = v.residency();
            count[i] = v.count();
        }
        return new PxStatistics(cpu, usable, last, cur, freq, residency, count, transitions);
    }

    private static XenSysctlGetPmstat header(final MutableDirectBuffer buffer, final int type, final int cpu) {
        final XenSysctl sysctl = new XenSysctl().wrap(buffer, 0);
        sysctl.clear();
        sysctl.cmd(Sysctl.XEN_SYSCTL_GET_PMSTAT).interfaceVersion(Sysctl.XEN_SYSCTL_INTERFACE_VERSION);
        return sysctl.getPmstat().type(type).cpuid(cpu);
    }
}
