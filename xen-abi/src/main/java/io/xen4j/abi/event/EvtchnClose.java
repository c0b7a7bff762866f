package io.xen4j.abi.event;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code EVTCHNOP_close}: closes {@code port}; the same 4 bytes in every ABI.
 *
 * <pre>{@code
 * struct evtchn_close {
 *     // IN parameters.
 *     evtchn_port_t port;
 * };
 * }</pre>
 */
public final class EvtchnClose extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "evtchn_close";
    /** Offset of {@code port}. */
    public static final int PORT_OFFSET = 0;
    /** {@code sizeof(struct evtchn_close)}, the same in every ABI. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public EvtchnClose wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code port}: the port.
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
    public EvtchnClose port(final int value) {
        buffer.putInt(offset + PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
