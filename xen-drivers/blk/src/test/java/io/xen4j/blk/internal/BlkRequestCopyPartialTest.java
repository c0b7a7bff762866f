package io.xen4j.blk.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.rings.BackRing;
import io.xen4j.rings.FrontRing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * blkback's partial copy of a request slot ({@link BlkRequestCopy#decode(BlkifAbi, io.xen4j.rings.SlotCopy)}):
 * the prefix, then only what the private header names, in both layouts, and the same fields as a
 * decode of the whole slot. The bytes of the slot beyond what a request uses hold a sentinel the
 * decode must never copy.
 */
final class BlkRequestCopyPartialTest {
    private static final byte SENTINEL = (byte) 0xA5;

    /** The slot's bytes copied, and the decoded request, for a request {@code fill} writes into a slot full of sentinels. */
    private record Decoded(int copied, BlkRequestCopy partial, BlkRequestCopy whole) { }

    private static Decoded decode(final BlkifAbi abi, final Consumer<MutableDirectBuffer> fill) {
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final FrontRing front = new FrontRing("test", abi.requestLength, abi.responseLength).init(page);
        final int slot = front.claimRequest();
        final UnsafeBuffer request = new UnsafeBuffer(new byte[abi.requestLength]);
        Arrays.fill(request.byteArray(), SENTINEL);
        fill.accept(request);
        front.buffer().putBytes(slot, request, 0, abi.requestLength);
        front.pushRequests();
        final BlkRequestCopy whole = new BlkRequestCopy(64).decode(abi, request);
        final BlkRequestCopy partial = new BlkRequestCopy(64);
        final AtomicInteger copied = new AtomicInteger(-1);
        final BackRing back = new BackRing("test", abi.requestLength, abi.responseLength).init(page);
        assertEquals(1, back.pollRequests(s -> {
            partial.decode(abi, s);
            copied.set(s.length());
            for (int i = 0; i < s.length(); i++) {
                assertEquals(request.getByte(i), s.buffer().getByte(i), "byte " + i + " of the private copy");
            }
        }, abi.requestPrefixLength, 1));
        return new Decoded(copied.get(), partial, whole);
    }

    private static void header(final BlkifAbi abi, final MutableDirectBuffer b, final int op, final int byte1) {
        b.putByte(BlkifAbi.OPERATION_OFFSET, (byte) op);
        b.putByte(BlkifAbi.BYTE1_OFFSET, (byte) byte1);
        b.putShort(BlkifAbi.SHORT2_OFFSET, (short) 0x1234, ByteOrder.LITTLE_ENDIAN);
        b.putLong(abi.idOffset, 0x0102_0304_0506_0708L, ByteOrder.LITTLE_ENDIAN);
        b.putLong(abi.sectorOffset, 4242L, ByteOrder.LITTLE_ENDIAN);
    }

    private static void segments(final BlkifAbi abi, final MutableDirectBuffer b, final int n) {
        for (int i = 0; i < n; i++) {
            final int at = abi.segOffset + i * BlkifRequestSegment.LENGTH;
            b.putInt(at + BlkifRequestSegment.GREF_OFFSET, 100 + i, ByteOrder.LITTLE_ENDIAN);
            b.putByte(at + BlkifRequestSegment.FIRST_SECT_OFFSET, (byte) 0);
            b.putByte(at + BlkifRequestSegment.LAST_SECT_OFFSET, (byte) 7);
        }
    }

    private static void assertSameRequest(final BlkRequestCopy expected, final BlkRequestCopy actual, final int segments) {
        assertEquals(expected.operation, actual.operation);
        assertEquals(expected.dataOperation, actual.dataOperation);
        assertEquals(expected.nrSegments, actual.nrSegments);
        assertEquals(expected.handle, actual.handle);
        assertEquals(expected.id, actual.id);
        assertEquals(expected.sector, actual.sector);
        assertEquals(expected.discardSectors, actual.discardSectors);
        assertEquals(expected.discardFlag, actual.discardFlag);
        assertArrayEquals(expected.indirectGrefs, actual.indirectGrefs);
        assertArrayEquals(Arrays.copyOf(expected.grefs, segments), Arrays.copyOf(actual.grefs, segments));
        assertArrayEquals(Arrays.copyOf(expected.firstSect, segments), Arrays.copyOf(actual.firstSect, segments));
        assertArrayEquals(Arrays.copyOf(expected.lastSect, segments), Arrays.copyOf(actual.lastSect, segments));
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aOneSegmentReadCopiesTheHeaderAndItsSegmentOnly(final BlkifAbi abi) {
        final Decoded d = decode(abi, b -> {
            header(abi, b, Blkif.BLKIF_OP_READ, 1);
            segments(abi, b, 1);
        });
        assertEquals(abi.segOffset + BlkifRequestSegment.LENGTH, d.copied());
        assertEquals(abi.requestPrefixLength, d.copied());
        assertEquals(100, d.partial().grefs[0]);
        assertSameRequest(d.whole(), d.partial(), 1);
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void moreSegmentsAreCopiedAsThePrivateHeaderSays(final BlkifAbi abi) {
        for (int n = 0; n <= Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST; n++) {
            final int count = n;
            final Decoded d = decode(abi, b -> {
                header(abi, b, Blkif.BLKIF_OP_WRITE, count);
                segments(abi, b, count);
            });
            assertEquals(abi.segOffset + Math.max(1, count) * BlkifRequestSegment.LENGTH, d.copied(), "nr_segments=" + count);
            assertSameRequest(d.whole(), d.partial(), count);
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aHostileSegmentCountCopiesNoMoreThanElevenSegments(final BlkifAbi abi) {
        final Decoded d = decode(abi, b -> {
            header(abi, b, Blkif.BLKIF_OP_READ, 255);
            segments(abi, b, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
        });
        assertEquals(abi.segOffset + Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST * BlkifRequestSegment.LENGTH, d.copied());
        assertEquals(255, d.partial().nrSegments);
        assertSameRequest(d.whole(), d.partial(), Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aDiscardNeedsOnlyThePrefix(final BlkifAbi abi) {
        final Decoded d = decode(abi, b -> {
            header(abi, b, Blkif.BLKIF_OP_DISCARD, Blkif.BLKIF_DISCARD_SECURE);
            b.putLong(abi.discardNrSectorsOffset, 77L, ByteOrder.LITTLE_ENDIAN);
        });
        assertEquals(abi.requestPrefixLength, d.copied());
        assertEquals(77L, d.partial().discardSectors);
        assertEquals(Blkif.BLKIF_DISCARD_SECURE, d.partial().discardFlag);
        assertSameRequest(d.whole(), d.partial(), 0);
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void anIndirectRequestCopiesItsIndirectGrefsAndNothingBeyond(final BlkifAbi abi) {
        final Decoded d = decode(abi, b -> {
            b.putByte(BlkifAbi.OPERATION_OFFSET, (byte) Blkif.BLKIF_OP_INDIRECT);
            b.putByte(BlkifAbi.BYTE1_OFFSET, (byte) Blkif.BLKIF_OP_READ);
            b.putShort(BlkifAbi.SHORT2_OFFSET, (short) 600, ByteOrder.LITTLE_ENDIAN);
            b.putLong(abi.indirectIdOffset, 99L, ByteOrder.LITTLE_ENDIAN);
            b.putLong(abi.indirectSectorOffset, 8L, ByteOrder.LITTLE_ENDIAN);
            b.putShort(abi.indirectHandleOffset, (short) 3, ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < Blkif.BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++) {
                b.putInt(abi.indirectGrefsOffset + i * Integer.BYTES, 500 + i, ByteOrder.LITTLE_ENDIAN);
            }
        });
        assertEquals(abi.indirectGrefsOffset + Blkif.BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * Integer.BYTES, d.copied());
        assertEquals(600, d.partial().nrSegments);
        assertEquals(501, d.partial().indirectGrefs[1]);
        assertSameRequest(d.whole(), d.partial(), 0);
    }
}
