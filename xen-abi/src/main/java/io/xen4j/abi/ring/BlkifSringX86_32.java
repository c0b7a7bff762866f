package io.xen4j.abi.ring;

import io.xen4j.abi.blkif.BlkifRequestX86_32;

/**
 * Layout of the concrete {@code struct blkif_sring} that {@code DEFINE_RING_TYPES(blkif, ...)} of
 * {@code xen/io/blkif.h} declares, in the x86_32 ABI: the {@link SringHeader} followed by slots of
 * {@code union blkif_sring_entry} ({@code struct blkif_request} or {@code struct blkif_response}).
 * {@link BlkifSring} is the x86_64 layout.
 *
 * <p>This class exists so that the header offsets of {@link SringHeader} and the slot size are
 * checked against a real ring type of the installed headers; {@link #LENGTH} is the C
 * {@code sizeof}, which counts the one slot that {@code ring[1]} declares.
 *
 * <pre>{@code
 * struct blkif_sring {
 *     RING_IDX req_prod, req_event;
 *     RING_IDX rsp_prod, rsp_event;
 *     union { ... uint8_t pvt_pad[4]; } pvt;
 *     uint8_t __pad[44];
 *     union blkif_sring_entry ring[1]; // variable-length
 * };
 * }</pre>
 */
public final class BlkifSringX86_32 {
    /** Offset of {@code req_prod}. */
    public static final int REQ_PROD_OFFSET = SringHeader.REQ_PROD_OFFSET;
    /** Offset of {@code req_event}. */
    public static final int REQ_EVENT_OFFSET = SringHeader.REQ_EVENT_OFFSET;
    /** Offset of {@code rsp_prod}. */
    public static final int RSP_PROD_OFFSET = SringHeader.RSP_PROD_OFFSET;
    /** Offset of {@code rsp_event}. */
    public static final int RSP_EVENT_OFFSET = SringHeader.RSP_EVENT_OFFSET;
    /** Offset of {@code pvt}. */
    public static final int PVT_OFFSET = SringHeader.PVT_OFFSET;
    /** Offset of {@code __pad}. */
    public static final int PAD_OFFSET = SringHeader.PAD_OFFSET;
    /** Offset of {@code ring[0]}. */
    public static final int RING_OFFSET = SringHeader.RING_OFFSET;
    /** Size of one slot, {@code sizeof(union blkif_sring_entry)}: the request is the larger member. */
    public static final int SLOT_LENGTH = BlkifRequestX86_32.LENGTH;
    /** {@code sizeof(struct blkif_sring)}: the header and the one declared slot (172 bytes). */
    public static final int LENGTH = RING_OFFSET + SLOT_LENGTH;

    private BlkifSringX86_32() {
    }
}
