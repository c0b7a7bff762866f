package io.xen4j.abi.ring;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The header of every shared ring that {@code DEFINE_RING_TYPES} of {@code xen/io/ring.h} declares:
 * four free-running indices, 48 bytes of padding, then the slots. The header is the same for every
 * protocol and both x86 ABIs (64 bytes, all members 4-byte or byte aligned); only the slots that
 * follow it differ ({@link BlkifSring} is one concrete instance).
 *
 * <pre>{@code
 * struct __name##_sring {
 *     RING_IDX req_prod, req_event;       // RING_IDX is unsigned int
 *     RING_IDX rsp_prod, rsp_event;
 *     union {
 *         struct { uint8_t smartpoll_active; } netif;
 *         struct { uint8_t msg; } tapif_user;
 *         uint8_t pvt_pad[4];
 *     } pvt;
 *     uint8_t __pad[44];
 *     union __name##_sring_entry ring[1]; // variable-length
 * };
 * }</pre>
 *
 * <p>This flyweight reads and writes the header with plain accesses, for building and inspecting
 * pages. Code that shares the page with another domain goes through the ordered accessors of the
 * rings in {@code io.xen4j.rings} instead.
 */
public final class SringHeader extends StructFlyweight {
    /** C name of the structure, as {@code DEFINE_RING_TYPES} spells it for a protocol {@code X}. */
    public static final String STRUCT_NAME = "X_sring";
    /** Offset of {@code req_prod}: requests produced by the frontend. */
    public static final int REQ_PROD_OFFSET = 0;
    /** Offset of {@code req_event}: the request index at which the backend wants an event. */
    public static final int REQ_EVENT_OFFSET = REQ_PROD_OFFSET + Integer.BYTES;
    /** Offset of {@code rsp_prod}: responses produced by the backend. */
    public static final int RSP_PROD_OFFSET = REQ_EVENT_OFFSET + Integer.BYTES;
    /** Offset of {@code rsp_event}: the response index at which the frontend wants an event. */
    public static final int RSP_EVENT_OFFSET = RSP_PROD_OFFSET + Integer.BYTES;
    /** Offset of the {@code pvt} union (netif's {@code smartpoll_active}, tapif's {@code msg}). */
    public static final int PVT_OFFSET = RSP_EVENT_OFFSET + Integer.BYTES;
    /** Size of the {@code pvt} union ({@code pvt_pad[4]}). */
    public static final int PVT_LENGTH = 4;
    /** Offset of {@code __pad}. */
    public static final int PAD_OFFSET = PVT_OFFSET + PVT_LENGTH;
    /** Size of {@code __pad}. */
    public static final int PAD_LENGTH = 44;
    /** Offset of {@code ring[0]}, the first slot. */
    public static final int RING_OFFSET = PAD_OFFSET + PAD_LENGTH;
    /** Size of the header: everything before {@code ring[0]}. */
    public static final int LENGTH = RING_OFFSET;
    /** {@code SHARED_RING_INIT}'s initial {@code req_event} and {@code rsp_event}: an event for the first message. */
    public static final int INITIAL_EVENT = 1;

    /**
     * Wraps the header at {@code offset}.
     *
     * @param buffer buffer holding the shared ring
     * @param offset offset of the shared ring
     * @return this
     */
    public SringHeader wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * {@code SHARED_RING_INIT}: both producer indices 0, both event indices 1, {@code pvt} and
     * {@code __pad} zeroed (plain stores: the page is not shared yet).
     *
     * @param buffer buffer holding the shared ring
     * @param offset offset of the shared ring
     */
    public static void sharedRingInit(final MutableDirectBuffer buffer, final int offset) {
        buffer.putInt(offset + REQ_PROD_OFFSET, 0, XEN_BYTE_ORDER);
        buffer.putInt(offset + RSP_PROD_OFFSET, 0, XEN_BYTE_ORDER);
        buffer.putInt(offset + REQ_EVENT_OFFSET, INITIAL_EVENT, XEN_BYTE_ORDER);
        buffer.putInt(offset + RSP_EVENT_OFFSET, INITIAL_EVENT, XEN_BYTE_ORDER);
        buffer.setMemory(offset + PVT_OFFSET, PVT_LENGTH + PAD_LENGTH, (byte) 0);
    }

    /**
     * {@code SHARED_RING_INIT} on the wrapped header.
     *
     * @return this
     */
    public SringHeader sharedRingInit() {
        sharedRingInit(buffer, offset);
        return this;
    }

    /**
     * Reads {@code req_prod}.
     *
     * @param buffer buffer holding the shared ring
     * @param offset offset of the shared ring
     * @return the index, an unsigned 32-bit value in an {@code int}
     */
    public static int reqProd(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + REQ_PROD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code req_prod}.
     *
     * @return the index
     */
    public int reqProd() {
        return reqProd(buffer, offset);
    }

    /**
     * Writes {@code req_prod}.
     *
     * @param value the index
     * @return this
     */
    public SringHeader reqProd(final int value) {
        buffer.putInt(offset + REQ_PROD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code req_event}.
     *
     * @param buffer buffer holding the shared ring
     * @param offset offset of the shared ring
     * @return the index
     */
    public static int reqEvent(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + REQ_EVENT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code req_event}.
     *
     * @return the index
     */
    public int reqEvent() {
        return reqEvent(buffer, offset);
    }

    /**
     * Writes {@code req_event}.
     *
     * @param value the index
     * @return this
     */
    public SringHeader reqEvent(final int value) {
        buffer.putInt(offset + REQ_EVENT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code rsp_prod}.
     *
     * @param buffer buffer holding the shared ring
     * @param offset offset of the shared ring
     * @return the index
     */
    public static int rspProd(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + RSP_PROD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code rsp_prod}.
     *
     * @return the index
     */
    public int rspProd() {
        return rspProd(buffer, offset);
    }

    /**
     * Writes {@code rsp_prod}.
     *
     * @param value the index
     * @return this
     */
    public SringHeader rspProd(final int value) {
        buffer.putInt(offset + RSP_PROD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code rsp_event}.
     *
     * @param buffer buffer holding the shared ring
     * @param offset offset of the shared ring
     * @return the index
     */
    public static int rspEvent(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + RSP_EVENT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code rsp_event}.
     *
     * @return the index
     */
    public int rspEvent() {
        return rspEvent(buffer, offset);
    }

    /**
     * Writes {@code rsp_event}.
     *
     * @param value the index
     * @return this
     */
    public SringHeader rspEvent(final int value) {
        buffer.putInt(offset + RSP_EVENT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code pvt.netif.smartpoll_active} (the same byte as {@code pvt.tapif_user.msg} and
     * {@code pvt.pvt_pad[0]}).
     *
     * @return the value, 0 to 255
     */
    public int pvtByte0() {
        return buffer.getByte(offset + PVT_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code pvt.netif.smartpoll_active} (the same byte as {@code pvt.tapif_user.msg}).
     *
     * @param value the value, 0 to 255
     * @return this
     */
    public SringHeader pvtByte0(final int value) {
        buffer.putByte(offset + PVT_OFFSET, (byte) value);
        return this;
    }
}
