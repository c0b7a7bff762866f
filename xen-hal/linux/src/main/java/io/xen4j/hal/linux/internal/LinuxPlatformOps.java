package io.xen4j.hal.linux.internal;

import io.xen4j.abi.Xen;
import io.xen4j.abi.platform.XenPlatformOp;
import io.xen4j.abi.platform.Xenpf;
import io.xen4j.abi.platform.XenpfGetIdleTime;
import io.xen4j.abi.platform.XenpfSetProcessorPminfo;
import io.xen4j.abi.sysctl.Sysctl;
import io.xen4j.abi.sysctl.XenSysctl;
import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteOrder;
import java.util.BitSet;
import org.agrona.MutableDirectBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link PlatformOps} through {@code __HYPERVISOR_platform_op} and, for the PM statistics,
 * {@code __HYPERVISOR_sysctl}: the {@code xen_platform_op} or {@code xen_sysctl} and the arrays its
 * guest handles point to are copied into one hypercall buffer, and the handles are set to the
 * arrays' addresses there.
 */
public final class LinuxPlatformOps implements PlatformOps {
    /** Where the CPU bitmap goes in the hypercall buffer: right after the {@code xen_platform_op}. */
    static final int IDLE_BITMAP_AT = XenPlatformOp.LENGTH;

    /** Linux's {@code ENODATA}, which {@link Errno} does not name: no statistics kept. */
    private static final int ENODATA = 61;

    private final HostCore host;

    /**
     * Creates the service.
     *
     * @param host the host
     */
    public LinuxPlatformOps(final HostCore host) {
        this.host = host;
    }

    @Override
    public void setProcessorPmInfo(
        final DirectBuffer pminfo, final int pminfoOffset, final int pminfoLength,
        final DirectBuffer states, final int statesOffset, final int statesLength) {
        if (pminfoLength < 8 || pminfoLength > XenPlatformOp.U_LENGTH || pminfoOffset < 0
            || pminfoOffset > pminfo.capacity() - pminfoLength) {
            throw new IllegalArgumentException("pminfo offset=" + pminfoOffset + " length=" + pminfoLength
                + " capacity=" + pminfo.capacity() + ": need 8.." + XenPlatformOp.U_LENGTH + " bytes inside the buffer");
        }
        if (statesLength < 0 || statesOffset < 0 || statesOffset > states.capacity() - statesLength) {
            throw new IllegalArgumentException("states offset=" + statesOffset + " length=" + statesLength
                + " capacity=" + states.capacity() + ": outside the buffer");
        }
        final int acpiId = pminfo.getInt(pminfoOffset + XenpfSetProcessorPminfo.ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int type = pminfo.getInt(pminfoOffset + XenpfSetProcessorPminfo.TYPE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final String op = "upload power-management data (type " + type + ") of ACPI processor " + acpiId
            + " from dom" + host.domid();
        host.checkUsable(op);
        try (HypercallBuffer b = HypercallBuffer.allocate(host, XenPlatformOp.LENGTH + (long) statesLength + 8, op)) {
            final UnsafeBuffer ub = Native.buffer(b.segment());
            final XenPlatformOp p = new XenPlatformOp().wrap(ub, 0);
            p.clear();
            p.cmd(Xenpf.XENPF_SET_PROCESSOR_PMINFO).interfaceVersion(Xenpf.XENPF_INTERFACE_VERSION);
            ub.putBytes(XenPlatformOp.U_OFFSET, pminfo, pminfoOffset, pminfoLength);
            final int statesAt = XenPlatformOp.LENGTH;
            if (statesLength > 0) {
                ub.putBytes(statesAt, states, statesOffset, statesLength);
            }
            final XenpfSetProcessorPminfo info = p.setPminfo();
            final long handle = b.address() + statesAt;
            switch (type) {
                case Xenpf.XEN_PM_CX -> info.powerStates(handle);
                case Xenpf.XEN_PM_PX -> info.perfStates(handle);
                case Xenpf.XEN_PM_PDC -> info.pdc(handle);
                default -> {
                    // No array: the hypervisor judges the type.
                }
            }
            host.hypercall(op, Xen.HYPERVISOR_PLATFORM_OP, b.address());
        }
    }

    @Override
    public long idleTimes(final BitSet cpus, final long[] idleNanos) {
        PlatformOps.checkIdleTimesArguments(cpus, idleNanos);
        final int nrCpus = idleNanos.length;
        final String op = "read the idle time (XENPF_getidletime) of " + cpus.cardinality() + " of " + nrCpus
            + " physical cpus from dom" + host.domid();
        host.checkUsable(op);
        try (HypercallBuffer b = HypercallBuffer.allocate(host, idleTimeBufferLength(nrCpus), op)) {
            final UnsafeBuffer ub = Native.buffer(b.segment());
            encodeIdleTimeRequest(ub, b.address(), cpus, nrCpus);
            host.hypercall(op, Xen.HYPERVISOR_PLATFORM_OP, b.address());
            return decodeIdleTimeReply(ub, cpus, idleNanos);
        }
    }

    @Override
    public CxStatistics cxStatistics(final int cpu) {
        PlatformOps.checkCpu(cpu);
        final String op = "read the C-state statistics (XEN_SYSCTL_get_pmstat) of pcpu " + cpu + " from dom"
            + host.domid();
        host.checkUsable(op);
        final int nr = askCount(op + ": PMSTAT_get_max_cx", Sysctl.PMSTAT_GET_MAX_CX, cpu, false);
        if (Integer.compareUnsigned(nr, MAX_CX_STATES) > 0) {
            throw new XenHalException(op, Errno.EIO, "Xen reported " + Integer.toUnsignedString(nr)
                + " C-states, more than the " + MAX_CX_STATES + " accepted");
        }
        try (HypercallBuffer b = HypercallBuffer.allocate(host, PmStatRequests.cxBufferLength(nr), op)) {
            final UnsafeBuffer ub = Native.buffer(b.segment());
            PmStatRequests.encodeCxStat(ub, b.address(), cpu, nr);
            host.hypercall(op + ": PMSTAT_get_cxstat", Xen.HYPERVISOR_SYSCTL, b.address());
            return PmStatRequests.decodeCxStat(ub, cpu, nr, op);
        }
    }

    @Override
    public PxStatistics pxStatistics(final int cpu) {
        PlatformOps.checkCpu(cpu);
        final String op = "read the P-state statistics (XEN_SYSCTL_get_pmstat) of pcpu " + cpu + " from dom"
            + host.domid();
        host.checkUsable(op);
        final int n = askCount(op + ": PMSTAT_get_max_px", Sysctl.PMSTAT_GET_MAX_PX, cpu, true);
        if (n == 0) {
            throw new XenHalException(op, ENODATA, "Xen reported no P-states for pcpu " + cpu);
        }
        try (HypercallBuffer b = HypercallBuffer.allocate(host, PmStatRequests.pxBufferLength(n), op)) {
            final UnsafeBuffer ub = Native.buffer(b.segment());
            PmStatRequests.encodePxStat(ub, b.address(), cpu, n);
            host.hypercall(op + ": PMSTAT_get_pxstat", Xen.HYPERVISOR_SYSCTL, b.address());
            return PmStatRequests.decodePxStat(ub, cpu, n, op);
        }
    }

    @Override
    public void resetPxStatistics(final int cpu) {
        PlatformOps.checkCpu(cpu);
        final String op = "reset the P-state statistics (XEN_SYSCTL_get_pmstat, PMSTAT_reset_pxstat) of pcpu "
            + cpu + " from dom" + host.domid();
        host.checkUsable(op);
        askCount(op, Sysctl.PMSTAT_RESET_PXSTAT, cpu, true);
    }

    /** Makes a sysctl without arrays and returns the count its reply carries for that category. */
    private int askCount(final String op, final int type, final int cpu, final boolean px) {
        try (HypercallBuffer b = HypercallBuffer.allocate(host, XenSysctl.LENGTH, op)) {
            final UnsafeBuffer ub = Native.buffer(b.segment());
            PmStatRequests.encodeSimple(ub, type, cpu);
            host.hypercall(op, Xen.HYPERVISOR_SYSCTL, b.address());
            return px ? PmStatRequests.maxPx(ub) : PmStatRequests.maxCx(ub);
        }
    }

    /** Where the idle-time array goes: after the bitmap, 8-byte aligned for its {@code uint64}s. */
    static int idleArrayAt(final int nrCpus) {
        return (IDLE_BITMAP_AT + bitmapBytes(nrCpus) + 7) & ~7;
    }

    /** The hypercall buffer's length for {@code nrCpus}: the op, the bitmap and the array. */
    static long idleTimeBufferLength(final int nrCpus) {
        return idleArrayAt(nrCpus) + (long) Long.BYTES * nrCpus;
    }

    private static int bitmapBytes(final int nrCpus) {
        return (nrCpus + 7) / 8;
    }

    /**
     * Writes the {@code XENPF_getidletime} request into a zeroed buffer that lives at guest address
     * {@code address}: the op, the bitmap of {@code cpus} (bit {@code n % 8} of byte {@code n / 8},
     * as {@code xenctl_bitmap} has it) and the handles to the bitmap and the array.
     */
    static void encodeIdleTimeRequest(
        final MutableDirectBuffer buffer, final long address, final BitSet cpus, final int nrCpus) {
        final XenPlatformOp p = new XenPlatformOp().wrap(buffer, 0);
        p.clear();
        p.cmd(Xenpf.XENPF_GETIDLETIME).interfaceVersion(Xenpf.XENPF_INTERFACE_VERSION);
        final byte[] bits = cpus.toByteArray();
        buffer.setMemory(IDLE_BITMAP_AT, bitmapBytes(nrCpus), (byte) 0);
        buffer.putBytes(IDLE_BITMAP_AT, bits, 0, Math.min(bits.length, bitmapBytes(nrCpus)));
        p.getIdleTime()
            .cpumapBitmap(address + IDLE_BITMAP_AT)
            .cpumapNrCpus(nrCpus)
            .idletime(address + idleArrayAt(nrCpus))
            .now(0);
    }

    /**
     * Reads the reply: clears from {@code cpus} each CPU whose bit Xen cleared, fills the idle time
     * of the others, and returns {@code now}. Bits Xen set that were not asked for are ignored.
     */
    static long decodeIdleTimeReply(final DirectBuffer buffer, final BitSet cpus, final long[] idleNanos) {
        final int arrayAt = idleArrayAt(idleNanos.length);
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            final int bits = buffer.getByte(IDLE_BITMAP_AT + cpu / 8);
            if ((bits & (1 << (cpu % 8))) == 0) {
                cpus.clear(cpu);
            } else {
                idleNanos[cpu] = buffer.getLong(arrayAt + cpu * Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            }
        }
        return buffer.getLong(XenPlatformOp.U_OFFSET + XenpfGetIdleTime.NOW_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }
}
