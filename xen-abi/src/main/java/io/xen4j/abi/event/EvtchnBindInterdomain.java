package io.xen4j.abi.event;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code EVTCHNOP_bind_interdomain}: connects a new local port to an unbound port
 * of a remote domain; the same 12 bytes in every ABI.
 *
 * <pre>{@code
 * struct evtchn_bind_interdomain {
 *     // IN parameters.
 *     domid_t remote_dom;
 *     evtchn_port_t remote_port;
 *     // OUT parameters.
 *     evtchn_port_t local_port;
 * };
 * }</pre>
 */
public final class EvtchnBindInterdomain extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "evtchn_bind_interdomain";
    /** Offset of {@code remote_dom}. */
    public static final int REMOTE_DOM_OFFSET = 0;
    /** Offset of {@code remote_port}: 2 bytes of padding align the port. */
    public static final int REMOTE_PORT_OFFSET = REMOTE_DOM_OFFSET + Short.BYTES + 2;
    /** Offset of {@code local_port}. */
    public static final int LOCAL_PORT_OFFSET = REMOTE_PORT_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct evtchn_bind_interdomain)}, the same in every ABI. */
    public static final int LENGTH = 12;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public EvtchnBindInterdomain wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code remote_dom}: the remote domain.
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
    public EvtchnBindInterdomain remoteDom(final int value) {
        buffer.putShort(offset + REMOTE_DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code remote_port}: the remote domain's unbound port.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int remotePort() {
        return buffer.getInt(offset + REMOTE_PORT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code remote_port}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnBindInterdomain remotePort(final int value) {
        buffer.putInt(offset + REMOTE_PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code local_port}: the new local port (out).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int localPort() {
        return buffer.getInt(offset + LOCAL_PORT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code local_port}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnBindInterdomain localPort(final int value) {
        buffer.putInt(offset + LOCAL_PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
