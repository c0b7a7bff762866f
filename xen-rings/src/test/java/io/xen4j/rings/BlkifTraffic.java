package io.xen4j.rings;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifResponse;
import io.xen4j.abi.ring.BlkifSring;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The blkif traffic of the tests, the same as {@code xen4j_ring.h} writes and checks in C: request
 * number {@code seq} has fields derived from {@code seq}, and so has its response.
 */
final class BlkifTraffic {
    static final int SLOT = BlkifSring.SLOT_LENGTH;
    static final int REQUEST = BlkifRequest.LENGTH;
    static final int RESPONSE = BlkifResponse.LENGTH;
    static final long ID_BASE = 0x1_0000_0000L;

    private final BlkifRequest request = new BlkifRequest();
    private final BlkifResponse response = new BlkifResponse();

    static int operation(final int seq) {
        return (seq & 1) != 0 ? Blkif.BLKIF_OP_WRITE : Blkif.BLKIF_OP_READ;
    }

    static int segments(final int seq) {
        return 1 + Integer.remainderUnsigned(seq, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
    }

    static short status(final int seq) {
        return (short) (Integer.remainderUnsigned(seq, 3) == 0 ? Blkif.BLKIF_RSP_ERROR : Blkif.BLKIF_RSP_OKAY);
    }

    static long id(final int seq) {
        return ID_BASE + Integer.toUnsignedLong(seq);
    }

    /** Writes request {@code seq} into a zeroed slot. */
    void fillRequest(final MutableDirectBuffer buffer, final int offset, final int seq) {
        final int n = segments(seq);
        request.wrap(buffer, offset).operation(operation(seq)).nrSegments(n).handle((seq * 7) & 0xFFFF)
            .id(id(seq)).sectorNumber(Integer.toUnsignedLong(seq) * 8 + 3);
        for (int i = 0; i < n; i++) {
            request.segment(i, seq * 31 + i, i % 8, 7);
        }
    }

    /** 0 if the slot holds request {@code seq}, else the number of the first wrong field (as in C). */
    static int checkRequest(final DirectBuffer buffer, final int offset, final int seq) {
        final int n = segments(seq);
        if (BlkifRequest.id(buffer, offset) != id(seq)) {
            return 1;
        }
        if (BlkifRequest.operation(buffer, offset) != operation(seq)) {
            return 2;
        }
        if (BlkifRequest.nrSegments(buffer, offset) != n) {
            return 3;
        }
        if (BlkifRequest.handle(buffer, offset) != ((seq * 7) & 0xFFFF)) {
            return 4;
        }
        if (BlkifRequest.sectorNumber(buffer, offset) != Integer.toUnsignedLong(seq) * 8 + 3) {
            return 5;
        }
        for (int i = 0; i < Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
            final int gref = BlkifRequest.segmentGref(buffer, offset, i);
            final int first = BlkifRequest.segmentFirstSect(buffer, offset, i);
            final int last = BlkifRequest.segmentLastSect(buffer, offset, i);
            if (i < n) {
                if (gref != seq * 31 + i || first != i % 8 || last != 7) {
                    return 6;
                }
            } else if (gref != 0 || first != 0 || last != 0) {
                return 7;
            }
        }
        return 0;
    }

    /** Writes the response to request {@code seq} into a zeroed slot. */
    void fillResponse(final MutableDirectBuffer buffer, final int offset, final int seq) {
        response.wrap(buffer, offset).id(id(seq)).operation(operation(seq)).status(status(seq));
    }

    /** 0 if the slot holds the response to request {@code seq}, else the first wrong field. */
    static int checkResponse(final DirectBuffer buffer, final int offset, final int seq) {
        if (BlkifResponse.id(buffer, offset) != id(seq)) {
            return 1;
        }
        if (BlkifResponse.operation(buffer, offset) != operation(seq)) {
            return 2;
        }
        if (BlkifResponse.status(buffer, offset) != status(seq)) {
            return 3;
        }
        return 0;
    }
}
