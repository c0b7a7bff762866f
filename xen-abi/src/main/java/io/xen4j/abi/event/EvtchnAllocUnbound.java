package io.xen4j.abi.event;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code EVTCHNOP_alloc_unbound}: allocates a port of {@code dom} that
 * {@code remote_dom} may bind to; the same 8 bytes in every ABI.
 *
 * <pre>{@code
 * struct evtchn_alloc_unbound {
 *     // IN parameters
 *     domid_t dom, remote_dom;
 *     // OUT parameters
 *     evtchn_port_t port;
 * };
 * }</pre>
 */
public final class EvtchnAllocUnbound extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "evtchn_alloc_unbound";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code remote_dom}. */
    public static final int REMOTE_DOM_OFFSET = DOM_OFFSET + Short.BYTES;
    /** Offset of {@code port}. */
    public static final int PORT_OFFSET = REMOTE_DOM_OFFSET + Short.BYTES;
    /** {@code sizeof(struct evtchn_alloc_unbound)}, the same in every ABI. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public EvtchnAllocUnbound wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code dom}: the domain that gets the port, usually {@code DOMID_SELF}.
     *
     * @return the value, 0..65535
     */
    public int dom() {
        return buffer.getShort(offset + DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dom}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnAllocUnbound dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code remote_dom}: the domain allowed to bind to the port.
     *
     * @return the value, 0..65535
     */
    public int remoteDom() {
        return buffer.getShort(offset + REMOTE_DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code remote_dom}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnAllocUnbound remoteDom(final int value) {
        buffer.putShort(offset + REMOTE_DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code port}: the allocated port (out).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int port() {
        return buffer.getInt(offset + PORT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code port}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnAllocUnbound port(final int value) {
        buffer.putInt(offset + PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
