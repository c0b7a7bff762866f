package io.xen4j.hal.linux.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.abi.linux.IoctlGntallocAllocGref;
import io.xen4j.abi.linux.IoctlGntdevGrantCopySegment;
import io.xen4j.abi.linux.IoctlGntdevMapGrantRef;
import io.xen4j.hal.api.GrantCopyBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The ioctl arguments the HAL writes into native memory, read back at the offsets of the C
 * structures (x86_64, as xen-abi's fixtures from gcc give them).
 */
class EncodingTest {
    @Test
    void privcmdHypercallIsOpThenFiveArguments() {
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment s = a.allocate(48);
            s.fill((byte) 0x55);
            Hypercall.encode(s, 17, 3, 0x7000_0000_1000L);
            assertEquals(17L, s.get(JAVA_LONG, 0));
            assertEquals(3L, s.get(JAVA_LONG, 8));
            assertEquals(0x7000_0000_1000L, s.get(JAVA_LONG, 16));
            for (int i = 24; i < 48; i += 8) {
                assertEquals(0L, s.get(JAVA_LONG, i), "unused arguments are zero, byte " + i);
            }
            assertThrows(IllegalArgumentException.class, () -> Hypercall.encode(s, 17, 1, 2, 3, 4, 5, 6));
            assertThrows(IllegalArgumentException.class, () -> Hypercall.encode(s, 128));
            assertThrows(IllegalArgumentException.class, () -> Hypercall.encode(s, -1));
        }
    }

    @Test
    void mmapbatchV2AndMmapResourceLayouts() {
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment s = a.allocate(32);
            s.fill((byte) 0x55);
            PrivcmdMaps.encodeMmapbatchV2(s, 3, 0x7FF0, 0x7f00_0000_0000L, 0x1111L, 0x2222L);
            assertEquals(3, s.get(JAVA_INT, 0));
            assertEquals((short) 0x7FF0, s.get(JAVA_SHORT, 4));
            assertEquals(0, s.get(JAVA_SHORT, 6), "padding is zero");
            assertEquals(0x7f00_0000_0000L, s.get(JAVA_LONG, 8));
            assertEquals(0x1111L, s.get(JAVA_LONG, 16));
            assertEquals(0x2222L, s.get(JAVA_LONG, 24));
            s.fill((byte) 0x55);
            PrivcmdMaps.encodeMmapResource(s, 5, 1, 0, 2, 4, 0x7f00_0000_0000L);
            assertEquals((short) 5, s.get(JAVA_SHORT, 0));
            assertEquals(0, s.get(JAVA_SHORT, 2));
            assertEquals(1, s.get(JAVA_INT, 4));
            assertEquals(0, s.get(JAVA_INT, 8));
            assertEquals(2, s.get(JAVA_INT, 12));
            assertEquals(4L, s.get(JAVA_LONG, 16));
            assertEquals(0x7f00_0000_0000L, s.get(JAVA_LONG, 24));
        }
    }

    @Test
    void gntallocAndGntdevArgumentsCarryTheirArrays() {
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment alloc = a.allocate(IoctlGntallocAllocGref.lengthFor(3));
            alloc.fill((byte) 0x55);
            LinuxGrantTables.encodeAllocGref(alloc, 7, true, 3);
            assertEquals((short) 7, alloc.get(JAVA_SHORT, 0));
            assertEquals((short) 1, alloc.get(JAVA_SHORT, 2), "GNTALLOC_FLAG_WRITABLE");
            assertEquals(3, alloc.get(JAVA_INT, 4));
            assertEquals(0L, alloc.get(JAVA_LONG, 8));
            assertEquals(0, alloc.get(JAVA_INT, 16 + 8), "gref_ids zeroed");
            assertEquals(28, alloc.byteSize());

            final MemorySegment map = a.allocate(IoctlGntdevMapGrantRef.lengthFor(2));
            map.fill((byte) 0x55);
            LinuxGrantTables.encodeMapGrantRef(map, 9, new int[] {8, 0xFFFF_FFFE});
            assertEquals(2, map.get(JAVA_INT, 0));
            assertEquals(0, map.get(JAVA_INT, 4), "pad");
            assertEquals(0L, map.get(JAVA_LONG, 8), "index");
            assertEquals(9, map.get(JAVA_INT, 16));
            assertEquals(8, map.get(JAVA_INT, 20));
            assertEquals(9, map.get(JAVA_INT, 24));
            assertEquals(0xFFFF_FFFE, map.get(JAVA_INT, 28));
        }
    }

    @Test
    void grantCopySegmentsBounceLocalSidesAndRejectCrossingOnes() {
        final UnsafeBuffer local = new UnsafeBuffer(new byte[64]);
        local.putStringWithoutLengthAscii(0, "request");
        final GrantCopyBatch batch = new GrantCopyBatch(5);
        batch.addLocalToGrant(local, 0, 3, 10, 20, 7);
        batch.addGrantToLocal(3, 11, 4090, local, 32, 10);
        batch.addGrantToLocal(3, 12, 100, local, 40, 8);
        batch.addGrantToGrant(3, 10, 0, 4, 13, 5, 0);
        batch.addLocalToGrant(local, 0, 3, 10, -1, 4);
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment segs = a.allocate(5L * IoctlGntdevGrantCopySegment.LENGTH);
            final MemorySegment bounce = a.allocate(GrantCopies.bounceBytes(batch));
            assertEquals(7 + 10 + 8 + 4, bounce.byteSize());
            final int[] submitted = new int[5];
            final int[] at = new int[5];
            final int n = GrantCopies.encode(batch, segs, bounce, submitted, at);
            assertEquals(2, n, "the crossing, the zero-length and the negative-offset segments are not submitted");
            assertArrayEquals(new int[] {0, 2}, java.util.Arrays.copyOf(submitted, 2));
            assertEquals(GrantTable.GNTST_BAD_COPY_ARG, batch.status(1));
            assertEquals(GrantTable.GNTST_OKAY, batch.status(3));
            assertEquals(GrantTable.GNTST_BAD_COPY_ARG, batch.status(4));
            // Segment 0: local source in the bounce area, foreign destination.
            assertEquals(bounce.address(), segs.get(JAVA_LONG, 0));
            assertEquals(10, segs.get(JAVA_INT, 8));
            assertEquals((short) 20, segs.get(JAVA_SHORT, 12));
            assertEquals((short) 3, segs.get(JAVA_SHORT, 14));
            assertEquals((short) 7, segs.get(JAVA_SHORT, 16));
            assertEquals((short) GrantTable.GNTCOPY_DEST_GREF, segs.get(JAVA_SHORT, 18));
            assertEquals("request", bounce.getString(0).substring(0, 7));
            // Segment 2: foreign source, local destination after segment 0's bytes.
            final int s2 = IoctlGntdevGrantCopySegment.LENGTH;
            assertEquals(12, segs.get(JAVA_INT, s2));
            assertEquals((short) 100, segs.get(JAVA_SHORT, s2 + 4));
            assertEquals(bounce.address() + 7, segs.get(JAVA_LONG, s2 + 8));
            assertEquals((short) GrantTable.GNTCOPY_SOURCE_GREF, segs.get(JAVA_SHORT, s2 + 18));

            // The kernel's statuses come back; only an OKAY local destination is copied out.
            bounce.asSlice(7, 8).copyFrom(MemorySegment.ofArray("response".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            segs.set(JAVA_SHORT, 20, (short) GrantTable.GNTST_PERMISSION_DENIED);
            segs.set(JAVA_SHORT, s2 + 20, (short) GrantTable.GNTST_OKAY);
            GrantCopies.decode(batch, segs, bounce, submitted, n, at);
            assertEquals(GrantTable.GNTST_PERMISSION_DENIED, batch.status(0));
            assertEquals(GrantTable.GNTST_OKAY, batch.status(2));
            assertEquals("response", local.getStringWithoutLengthAscii(40, 8));
        }
    }
}
