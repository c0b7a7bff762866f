package io.xen4j.blk.internal;

import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestDiscard;
import io.xen4j.abi.blkif.BlkifRequestDiscardX86_32;
import io.xen4j.abi.blkif.BlkifRequestIndirect;
import io.xen4j.abi.blkif.BlkifRequestIndirectX86_32;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.blkif.BlkifRequestX86_32;
import io.xen4j.abi.blkif.BlkifResponse;
import io.xen4j.abi.blkif.BlkifResponseX86_32;
import org.jspecify.annotations.Nullable;

/**
 * The two request layouts of blkif, chosen at run time by the frontend's {@code protocol} node.
 * They differ only in where {@code id} and what follows it sit (4- or 8-byte alignment of
 * {@code uint64_t}); the offsets come from the flyweights of xen-abi, which are checked against
 * the C headers.
 */
public enum BlkifAbi {
    /** {@code x86_64-abi}: 112-byte requests, 16-byte responses. */
    X86_64("x86_64-abi", BlkifRequest.LENGTH, BlkifResponse.LENGTH,
        BlkifRequest.ID_OFFSET, BlkifRequest.SECTOR_NUMBER_OFFSET, BlkifRequest.SEG_OFFSET,
        BlkifRequestDiscard.NR_SECTORS_OFFSET,
        BlkifRequestIndirect.ID_OFFSET, BlkifRequestIndirect.SECTOR_NUMBER_OFFSET, BlkifRequestIndirect.HANDLE_OFFSET,
        BlkifRequestIndirect.INDIRECT_GREFS_OFFSET),
    /** {@code x86_32-abi}: 108-byte requests, 12-byte responses. */
    X86_32("x86_32-abi", BlkifRequestX86_32.LENGTH, BlkifResponseX86_32.LENGTH,
        BlkifRequestX86_32.ID_OFFSET, BlkifRequestX86_32.SECTOR_NUMBER_OFFSET, BlkifRequestX86_32.SEG_OFFSET,
        BlkifRequestDiscardX86_32.NR_SECTORS_OFFSET,
        BlkifRequestIndirectX86_32.ID_OFFSET, BlkifRequestIndirectX86_32.SECTOR_NUMBER_OFFSET,
        BlkifRequestIndirectX86_32.HANDLE_OFFSET, BlkifRequestIndirectX86_32.INDIRECT_GREFS_OFFSET);

    /** Offset of {@code operation} in every request type. */
    public static final int OPERATION_OFFSET = 0;
    /** Offset of {@code nr_segments} (read/write) or {@code flag} (discard) or {@code indirect_op}. */
    public static final int BYTE1_OFFSET = 1;
    /** Offset of {@code handle} in read/write/discard requests, and of {@code nr_segments} in indirect ones. */
    public static final int SHORT2_OFFSET = 2;
    /** Offset of {@code id} in a response (both layouts). */
    public static final int RSP_ID_OFFSET = BlkifResponse.ID_OFFSET;
    /** Offset of {@code operation} in a response. */
    public static final int RSP_OPERATION_OFFSET = BlkifResponse.OPERATION_OFFSET;
    /** Offset of {@code status} in a response. */
    public static final int RSP_STATUS_OFFSET = BlkifResponse.STATUS_OFFSET;

    private final String protocol;
    /** {@code sizeof(blkif_request)}: also the ring slot, the union's larger member. */
    public final int requestLength;
    /** {@code sizeof(blkif_response)}. */
    public final int responseLength;
    /** Offset of {@code id} in read/write/flush/discard requests. */
    public final int idOffset;
    /** Offset of {@code sector_number}. */
    public final int sectorOffset;
    /** Offset of {@code seg[0]}. */
    public final int segOffset;
    /** Offset of {@code nr_sectors} in a discard request. */
    public final int discardNrSectorsOffset;
    /** Offset of {@code id} in an indirect request. */
    public final int indirectIdOffset;
    /** Offset of {@code sector_number} in an indirect request. */
    public final int indirectSectorOffset;
    /** Offset of {@code handle} in an indirect request. */
    public final int indirectHandleOffset;
    /** Offset of {@code indirect_grefs[0]} in an indirect request. */
    public final int indirectGrefsOffset;
    /**
     * The bytes of a request slot every request needs: the header and {@code seg[0]}, which also
     * cover a discard's {@code nr_sectors} and, for a one-segment read or write (the common 4 KiB
     * request), everything. blkback copies this much of each slot before it looks at it.
     */
    public final int requestPrefixLength;

    BlkifAbi(final String protocol, final int requestLength, final int responseLength, final int idOffset,
             final int sectorOffset, final int segOffset, final int discardNrSectorsOffset, final int indirectIdOffset,
             final int indirectSectorOffset, final int indirectHandleOffset, final int indirectGrefsOffset) {
        this.protocol = protocol;
        this.requestLength = requestLength;
        this.responseLength = responseLength;
        this.idOffset = idOffset;
        this.sectorOffset = sectorOffset;
        this.segOffset = segOffset;
        this.discardNrSectorsOffset = discardNrSectorsOffset;
        this.indirectIdOffset = indirectIdOffset;
        this.indirectSectorOffset = indirectSectorOffset;
        this.indirectHandleOffset = indirectHandleOffset;
        this.indirectGrefsOffset = indirectGrefsOffset;
        this.requestPrefixLength = segOffset + BlkifRequestSegment.LENGTH;
    }

    /**
     * The {@code protocol} node's value.
     *
     * @return {@code x86_64-abi} or {@code x86_32-abi}
     */
    public String protocol() {
        return protocol;
    }

    /**
     * The layout a {@code protocol} node names; a missing node means the backend's native layout
     * (x86_64 here).
     *
     * @param protocol the node's value, or null when missing
     * @return the layout, or null for an unknown protocol
     */
    public static @Nullable BlkifAbi ofProtocol(final @Nullable String protocol) {
        if (protocol == null) {
            return X86_64;
        }
        for (final BlkifAbi abi : values()) {
            if (abi.protocol.equals(protocol)) {
                return abi;
            }
        }
        return null;
    }
}
