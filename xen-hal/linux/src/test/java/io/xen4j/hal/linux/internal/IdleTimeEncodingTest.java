package io.xen4j.hal.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xen4j.abi.platform.XenPlatformOp;
import io.xen4j.abi.platform.Xenpf;
import io.xen4j.abi.platform.XenpfGetIdleTime;
import io.xen4j.hal.api.PlatformOps;
import java.nio.ByteOrder;
import java.util.BitSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The {@code XENPF_getidletime} request as {@link LinuxPlatformOps} lays it out in its hypercall
 * buffer, and the reading of a reply written the way Xen writes it; no hypervisor needed.
 */
final class IdleTimeEncodingTest {
    private static final long ADDRESS = 0x7f00_1234_0000L;

    @Test
    void theRequestCarriesTheOpTheBitmapAndBothHandles() {
        final int nrCpus = 13;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[(int) LinuxPlatformOps.idleTimeBufferLength(nrCpus)]);
        b.setMemory(0, b.capacity(), (byte) 0x5A);
        final BitSet cpus = new BitSet();
        cpus.set(0);
        cpus.set(9);
        cpus.set(12);
        LinuxPlatformOps.encodeIdleTimeRequest(b, ADDRESS, cpus, nrCpus);
        final XenPlatformOp p = new XenPlatformOp().wrap(b, 0);
        assertEquals(Xenpf.XENPF_GETIDLETIME, p.cmd());
        assertEquals(Xenpf.XENPF_INTERFACE_VERSION, p.interfaceVersion());
        final XenpfGetIdleTime g = p.getIdleTime();
        assertEquals(ADDRESS + XenPlatformOp.LENGTH, g.cpumapBitmap(), "the bitmap follows the op");
        assertEquals(nrCpus, g.cpumapNrCpus());
        final int arrayAt = LinuxPlatformOps.idleArrayAt(nrCpus);
        assertEquals(XenPlatformOp.LENGTH + 8, arrayAt, "2 bitmap bytes, then 8-byte aligned");
        assertEquals(ADDRESS + arrayAt, g.idletime());
        assertEquals(0, g.now());
        assertEquals(0x01, b.getByte(XenPlatformOp.LENGTH) & 0xFF, "cpu 0: bit 0 of byte 0");
        assertEquals(0x12, b.getByte(XenPlatformOp.LENGTH + 1) & 0xFF, "cpus 9 and 12: bits 1 and 4 of byte 1");
        assertEquals(0, b.getInt(XenPlatformOp.U_OFFSET + XenpfGetIdleTime.CPUMAP_NR_CPUS_OFFSET + 4),
            "the padding after cpumap_nr_cpus is set (R7)");
        for (int i = XenPlatformOp.U_OFFSET + XenpfGetIdleTime.LENGTH; i < XenPlatformOp.LENGTH; i++) {
            assertEquals(0, b.getByte(i), "the rest of the union is zero at " + i);
        }
        assertEquals(8L * nrCpus + arrayAt, LinuxPlatformOps.idleTimeBufferLength(nrCpus));
        assertEquals(136 + 2048 + 8 * 16384, LinuxPlatformOps.idleTimeBufferLength(PlatformOps.MAX_IDLE_CPUS),
            "the largest request: 33 pages");
    }

    @Test
    void theReplyClearsWhatXenClearedAndIgnoresBitsNotAskedFor() {
        final int nrCpus = 16;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[(int) LinuxPlatformOps.idleTimeBufferLength(nrCpus)]);
        final BitSet cpus = new BitSet();
        cpus.set(1);
        cpus.set(3);
        cpus.set(10);
        LinuxPlatformOps.encodeIdleTimeRequest(b, ADDRESS, cpus, nrCpus);
        // Xen's answer: cpu 3 is offline (its bit cleared), and a stray bit 5 set that was never asked.
        b.putByte(XenPlatformOp.LENGTH, (byte) 0b0010_0010);
        final int arrayAt = LinuxPlatformOps.idleArrayAt(nrCpus);
        b.putLong(arrayAt + 8, 111_000L, ByteOrder.LITTLE_ENDIAN);
        b.putLong(arrayAt + 5 * 8, 555L, ByteOrder.LITTLE_ENDIAN);
        b.putLong(arrayAt + 10 * 8, 1_010_000L, ByteOrder.LITTLE_ENDIAN);
        new XenPlatformOp().wrap(b, 0).getIdleTime().now(9_000_000L);
        final long[] idle = new long[nrCpus];
        idle[3] = -3;
        final long now = LinuxPlatformOps.decodeIdleTimeReply(b, cpus, idle);
        assertEquals(9_000_000L, now);
        final BitSet expected = new BitSet();
        expected.set(1);
        expected.set(10);
        assertEquals(expected, cpus);
        assertEquals(111_000L, idle[1]);
        assertEquals(-3, idle[3], "cleared by Xen: left alone");
        assertEquals(0, idle[5], "not asked: not read");
        assertEquals(1_010_000L, idle[10]);
    }
}
