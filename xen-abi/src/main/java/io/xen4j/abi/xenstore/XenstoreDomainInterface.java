package io.xen4j.abi.xenstore;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The xenstore page a guest shares with the xenstore daemon: a request ring, a response ring,
 * their indices, and the words of the reconnection protocol, the same in every ABI (2076 bytes
 * at the start of the page). Messages are {@link XsWireHeader}s and their payloads, written as a
 * byte stream that wraps around each ring.
 *
 * <p>Each ring is {@link XsWire#XENSTORE_RING_SIZE} bytes; its indices are free-running unsigned
 * 32-bit counters, masked only to index a byte ({@link XsWire#maskXenstoreIdx(int)}). The
 * accessors here are plain reads and writes, for private copies and tests. On a shared page the
 * indices and the {@code connection} word must be read with acquire and written with release
 * semantics at their offsets, as the byte rings of xen-rings do, and {@code prod - cons <=}
 * {@link XsWire#XENSTORE_RING_SIZE} must be checked on both rings.
 *
 * <pre>{@code
 * #define XENSTORE_RING_SIZE 1024
 * typedef uint32_t XENSTORE_RING_IDX;
 * #define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE-1))
 * struct xenstore_domain_interface {
 *     char req[XENSTORE_RING_SIZE]; // Requests to xenstore daemon.
 *     char rsp[XENSTORE_RING_SIZE]; // Replies and async watch events.
 *     XENSTORE_RING_IDX req_cons, req_prod;
 *     XENSTORE_RING_IDX rsp_cons, rsp_prod;
 *     uint32_t server_features; // Bitmap of features supported by the server
 *     uint32_t connection;
 *     uint32_t error;
 * };
 * }</pre>
 */
public final class XenstoreDomainInterface extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xenstore_domain_interface";
    /** Offset of {@code req}, the ring of requests to the daemon. */
    public static final int REQ_OFFSET = 0;
    /** Offset of {@code rsp}, the ring of replies and watch events from the daemon. */
    public static final int RSP_OFFSET = REQ_OFFSET + XsWire.XENSTORE_RING_SIZE;
    /** Offset of {@code req_cons}: consumer index of {@code req}, written by the daemon. */
    public static final int REQ_CONS_OFFSET = RSP_OFFSET + XsWire.XENSTORE_RING_SIZE;
    /** Offset of {@code req_prod}: producer index of {@code req}, written by the guest. */
    public static final int REQ_PROD_OFFSET = REQ_CONS_OFFSET + Integer.BYTES;
    /** Offset of {@code rsp_cons}: consumer index of {@code rsp}, written by the guest. */
    public static final int RSP_CONS_OFFSET = REQ_PROD_OFFSET + Integer.BYTES;
    /** Offset of {@code rsp_prod}: producer index of {@code rsp}, written by the daemon. */
    public static final int RSP_PROD_OFFSET = RSP_CONS_OFFSET + Integer.BYTES;
    /** Offset of {@code server_features}, written by the daemon. */
    public static final int SERVER_FEATURES_OFFSET = RSP_PROD_OFFSET + Integer.BYTES;
    /** Offset of {@code connection}: the guest asks for a reconnection here, the daemon answers. */
    public static final int CONNECTION_OFFSET = SERVER_FEATURES_OFFSET + Integer.BYTES;
    /** Offset of {@code error}, written by the daemon. */
    public static final int ERROR_OFFSET = CONNECTION_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xenstore_domain_interface)}, the same in every ABI. */
    public static final int LENGTH = ERROR_OFFSET + Integer.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenstoreDomainInterface wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code req[index]}.
     *
     * @param index byte index, 0..{@value XsWire#XENSTORE_RING_SIZE} - 1
     * @return the byte (C {@code char}, signed on x86)
     */
    public byte req(final int index) {
        return buffer.getByte(ringOffset("req", REQ_OFFSET, index));
    }

    /**
     * Writes {@code req[index]}.
     *
     * @param index byte index, 0..{@value XsWire#XENSTORE_RING_SIZE} - 1
     * @param value the byte
     * @return this
     */
    public XenstoreDomainInterface req(final int index, final byte value) {
        buffer.putByte(ringOffset("req", REQ_OFFSET, index), value);
        return this;
    }

    /**
     * Reads {@code rsp[index]}.
     *
     * @param index byte index, 0..{@value XsWire#XENSTORE_RING_SIZE} - 1
     * @return the byte (C {@code char}, signed on x86)
     */
    public byte rsp(final int index) {
        return buffer.getByte(ringOffset("rsp", RSP_OFFSET, index));
    }

    /**
     * Writes {@code rsp[index]}.
     *
     * @param index byte index, 0..{@value XsWire#XENSTORE_RING_SIZE} - 1
     * @param value the byte
     * @return this
     */
    public XenstoreDomainInterface rsp(final int index, final byte value) {
        buffer.putByte(ringOffset("rsp", RSP_OFFSET, index), value);
        return this;
    }

    /**
     * Reads {@code req_cons}: how far the daemon has consumed {@code req}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int reqCons() {
        return buffer.getInt(offset + REQ_CONS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code req_cons}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenstoreDomainInterface reqCons(final int value) {
        buffer.putInt(offset + REQ_CONS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code req_prod}: how far the guest has produced into {@code req}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int reqProd() {
        return buffer.getInt(offset + REQ_PROD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code req_prod}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenstoreDomainInterface reqProd(final int value) {
        buffer.putInt(offset + REQ_PROD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code rsp_cons}: how far the guest has consumed {@code rsp}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int rspCons() {
        return buffer.getInt(offset + RSP_CONS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code rsp_cons}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenstoreDomainInterface rspCons(final int value) {
        buffer.putInt(offset + RSP_CONS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code rsp_prod}: how far the daemon has produced into {@code rsp}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int rspProd() {
        return buffer.getInt(offset + RSP_PROD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code rsp_prod}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenstoreDomainInterface rspProd(final int value) {
        buffer.putInt(offset + RSP_PROD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code server_features}: the {@code XENSTORE_SERVER_FEATURE_*} bits of the daemon.
     *
     * @return the bits (unsigned 32 bit, as an int)
     */
    public int serverFeatures() {
        return buffer.getInt(offset + SERVER_FEATURES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code server_features}.
     *
     * @param value the bits (unsigned 32 bit, as an int)
     * @return this
     */
    public XenstoreDomainInterface serverFeatures(final int value) {
        buffer.putInt(offset + SERVER_FEATURES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code connection}: {@link XsWire#XENSTORE_CONNECTED} or {@link XsWire#XENSTORE_RECONNECT}.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int connection() {
        return buffer.getInt(offset + CONNECTION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code connection}.
     *
     * @param value the value (unsigned 32 bit, as an int)
     * @return this
     */
    public XenstoreDomainInterface connection(final int value) {
        buffer.putInt(offset + CONNECTION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code error}: an {@code XENSTORE_ERROR_*} the daemon reports.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int error() {
        return buffer.getInt(offset + ERROR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code error}.
     *
     * @param value the value (unsigned 32 bit, as an int)
     * @return this
     */
    public XenstoreDomainInterface error(final int value) {
        buffer.putInt(offset + ERROR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    private int ringOffset(final String field, final int ringOffset, final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, field, index, XsWire.XENSTORE_RING_SIZE);
        return offset + ringOffset + index;
    }
}
