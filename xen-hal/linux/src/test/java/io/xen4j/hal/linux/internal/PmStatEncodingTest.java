package io.xen4j.hal.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.sysctl.PmCxStat;
import io.xen4j.abi.sysctl.PmPxStat;
import io.xen4j.abi.sysctl.PmPxVal;
import io.xen4j.abi.sysctl.Sysctl;
import io.xen4j.abi.sysctl.XenSysctl;
import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The {@code XEN_SYSCTL_get_pmstat} requests as {@link LinuxPlatformOps} lays them out in its
 * hypercall buffer, byte for byte against committed hex written from {@code xen/sysctl.h} by
 * hand, and the reading of replies written the way Xen writes them; no hypervisor needed.
 */
final class PmStatEncodingTest {
    private static final long ADDRESS = 0x7f00_1234_0000L;

    /** PMSTAT_get_cxstat for pcpu 3 with 4 C-states, buffer at {@link #ADDRESS}. */
    private static final String CX_GOLDEN = ""
        + "0a000000" + "15000000"                 // xen_sysctl: cmd XEN_SYSCTL_get_pmstat, interface 0x15
        + "22000000" + "03000000"                 // get_pmstat: type PMSTAT_get_cxstat, cpuid 3
        + "04000000" + "00000000"                 // getcx: nr 4 (IN), last
        + "0000000000000000"                      // idle_time
        + "88003412007f0000"                      // triggers -> ADDRESS + 136
        + "a8003412007f0000"                      // residencies -> ADDRESS + 168
        + "0a000000" + "07000000"                 // nr_pc 10, nr_cc 7 (IN: slots given)
        + "c8003412007f0000"                      // pc -> ADDRESS + 200
        + "18013412007f0000"                      // cc -> ADDRESS + 280
        + "00".repeat(64)                         // the rest of the 128-byte union
        + "00".repeat(32) + "00".repeat(32)       // triggers[4], residencies[4]
        + "ff".repeat(80) + "ff".repeat(56);      // pc[10], cc[7]: the no-counter sentinel

    /** PMSTAT_get_pxstat for pcpu 1 with 3 P-states, buffer at {@link #ADDRESS}. */
    private static final String PX_GOLDEN = ""
        + "0a000000" + "15000000"                 // xen_sysctl: cmd, interface
        + "12000000" + "01000000"                 // get_pmstat: type PMSTAT_get_pxstat, cpuid 1
        + "03" + "00" + "00" + "00" + "00000000"  // getpx: total 3, usable, last, cur, padding
        + "88003412007f0000"                      // trans_pt -> ADDRESS + 136
        + "d0003412007f0000"                      // pt -> ADDRESS + 208 (after 9 transition counts)
        + "00".repeat(32)                         // the rest of get_pmstat's union (getcx is longer)
        + "00".repeat(64)                         // the rest of the sysctl's union
        + "00".repeat(72) + "00".repeat(72);      // trans_pt[3*3], pt[3]

    @Test
    void theCxRequestIsByteForByteTheGolden() {
        assertEquals(336, PmStatRequests.cxBufferLength(4));
        final UnsafeBuffer b = new UnsafeBuffer(new byte[PmStatRequests.cxBufferLength(4)]);
        b.setMemory(0, b.capacity(), (byte) 0x5A);
        PmStatRequests.encodeCxStat(b, ADDRESS, 3, 4);
        assertEquals(CX_GOLDEN, HexFormat.of().formatHex(b.byteArray()));
    }

    @Test
    void thePxRequestIsByteForByteTheGolden() {
        assertEquals(280, PmStatRequests.pxBufferLength(3));
        final UnsafeBuffer b = new UnsafeBuffer(new byte[PmStatRequests.pxBufferLength(3)]);
        b.setMemory(0, b.capacity(), (byte) 0x5A);
        PmStatRequests.encodePxStat(b, ADDRESS, 1, 3);
        assertEquals(PX_GOLDEN, HexFormat.of().formatHex(b.byteArray()));
    }

    @Test
    void theCountRequestsCarryOnlyTypeAndCpu() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[XenSysctl.LENGTH]);
        b.setMemory(0, b.capacity(), (byte) 0x5A);
        PmStatRequests.encodeSimple(b, Sysctl.PMSTAT_GET_MAX_PX, 258);
        assertEquals("0a000000" + "15000000" + "11000000" + "02010000" + "00".repeat(128 - 8),
            HexFormat.of().formatHex(b.byteArray()));
        // Xen's answers: u.getcx.nr for max_cx, the byte u.getpx.total for max_px.
        b.putInt(XenSysctl.U_OFFSET + 8, 0x0000_0105, ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x105, PmStatRequests.maxCx(b));
        assertEquals(0x05, PmStatRequests.maxPx(b));
    }

    @Test
    void aCxReplyIsReadAndUnwrittenCounterSlotsStayAbsent() {
        final int nr = 4;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[PmStatRequests.cxBufferLength(nr)]);
        PmStatRequests.encodeCxStat(b, ADDRESS, 2, nr);
        // Xen's answer: it has 3 states (C0..C2), was last in C2, and has PC2, PC6 and CC6 counters.
        final PmCxStat cx = new PmCxStat().wrap(b, XenSysctl.U_OFFSET + 8);
        cx.nr(3).last(2).idleTime(9_000L).nrPc(6).nrCc(6);
        final long[] usage = {30, 10, 20};
        final long[] res = {1_000, 3_000, 6_000};
        for (int i = 0; i < 3; i++) {
            b.putLong(PmStatRequests.triggersAt() + 8 * i, usage[i], ByteOrder.LITTLE_ENDIAN);
            b.putLong(PmStatRequests.residenciesAt(nr) + 8 * i, res[i], ByteOrder.LITTLE_ENDIAN);
        }
        b.putLong(PmStatRequests.packageCountersAt(nr) + 8, 222, ByteOrder.LITTLE_ENDIAN);
        b.putLong(PmStatRequests.packageCountersAt(nr) + 5 * 8, 666, ByteOrder.LITTLE_ENDIAN);
        b.putLong(PmStatRequests.coreCountersAt(nr) + 5 * 8, 6, ByteOrder.LITTLE_ENDIAN);
        final CxStatistics s = PmStatRequests.decodeCxStat(b, 2, nr, "test");
        assertEquals(2, s.cpu());
        assertEquals(3, s.stateCount());
        assertEquals(2, s.lastState());
        assertEquals(9_000L, s.idleNanos());
        assertEquals(20, s.usage(2));
        assertEquals(6_000, s.residencyNanos(2));
        assertEquals(1_000, s.residencyNanos(0));
        assertEquals(CxStatistics.NO_COUNTER, s.packageResidency(1));
        assertEquals(222, s.packageResidency(2));
        assertEquals(666, s.packageResidency(6));
        assertEquals(CxStatistics.NO_COUNTER, s.packageResidency(10));
        assertEquals(6, s.coreResidency(6));
        assertEquals(CxStatistics.NO_COUNTER, s.coreResidency(7));
    }

    @Test
    void aCxReplyBeyondTheArraysOrWithALastStateOutsideIsRefused() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[PmStatRequests.cxBufferLength(2)]);
        PmStatRequests.encodeCxStat(b, ADDRESS, 5, 2);
        final PmCxStat cx = new PmCxStat().wrap(b, XenSysctl.U_OFFSET + 8);
        cx.nr(3);
        final XenHalException more = assertThrows(XenHalException.class,
            () -> PmStatRequests.decodeCxStat(b, 5, 2, "read pcpu 5"));
        assertEquals(Errno.EIO, more.errno());
        final String m = String.valueOf(more.getMessage());
        assertTrue(m.contains("nr=3") && m.contains("pcpu 5"), m);
        cx.nr(2).last(2);
        assertTrue(String.valueOf(assertThrows(XenHalException.class,
            () -> PmStatRequests.decodeCxStat(b, 5, 2, "read")).getMessage()).contains("last=2"));
        cx.nr(-1).last(0);
        assertTrue(String.valueOf(assertThrows(XenHalException.class,
            () -> PmStatRequests.decodeCxStat(b, 5, 2, "read")).getMessage()).contains("nr=4294967295"));
        cx.nr(0).last(0);
        assertEquals(0, PmStatRequests.decodeCxStat(b, 5, 2, "read").stateCount(), "no C-state data: nothing");
    }

    @Test
    void aPxReplyIsReadWithItsTransitionTable() {
        final int n = 3;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[PmStatRequests.pxBufferLength(n)]);
        PmStatRequests.encodePxStat(b, ADDRESS, 1, n);
        final PmPxStat px = new PmPxStat().wrap(b, XenSysctl.U_OFFSET + 8);
        px.total(3).usable(2).last(0).cur(2);
        b.putLong(PmStatRequests.transitionsAt() + 8 * 2, 7, ByteOrder.LITTLE_ENDIAN);     // P0 -> P2
        b.putLong(PmStatRequests.transitionsAt() + 8 * (2 * 3), 6, ByteOrder.LITTLE_ENDIAN); // P2 -> P0
        final PmPxVal v = new PmPxVal();
        final long[] mhz = {2400, 1800, 1200};
        for (int i = 0; i < n; i++) {
            v.wrap(b, PmStatRequests.valuesAt(n) + PmPxVal.LENGTH * i).freq(mhz[i]).residency(100L * i).count(i + 1);
        }
        final PxStatistics s = PmStatRequests.decodePxStat(b, 1, n, "test");
        assertEquals(3, s.stateCount());
        assertEquals(2, s.usable());
        assertEquals(0, s.last());
        assertEquals(2, s.current());
        assertEquals(1200, s.frequencyMhz(2));
        assertEquals(200, s.residencyNanos(2));
        assertEquals(3, s.count(2));
        assertEquals(7, s.transitions(0, 2));
        assertEquals(6, s.transitions(2, 0));
        assertEquals(0, s.transitions(1, 2));
    }

    @Test
    void aPxReplyWithAnotherStateCountOrAStateOutsideIsRefused() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[PmStatRequests.pxBufferLength(2)]);
        PmStatRequests.encodePxStat(b, ADDRESS, 0, 2);
        final PmPxStat px = new PmPxStat().wrap(b, XenSysctl.U_OFFSET + 8);
        px.total(3);
        assertEquals(Errno.EAGAIN, assertThrows(XenHalException.class,
            () -> PmStatRequests.decodePxStat(b, 0, 2, "read")).errno());
        px.total(2).cur(2);
        final XenHalException e = assertThrows(XenHalException.class, () -> PmStatRequests.decodePxStat(b, 0, 2, "read"));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(String.valueOf(e.getMessage()).contains("cur=2"), e.getMessage());
    }
}
