package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_EVTCHN_UNBIND}: close a port bound through this file descriptor.
 *
 * <pre>{@code
 * struct ioctl_evtchn_unbind {
 *     unsigned int port;
 * };
 * }</pre>
 */
public final class IoctlEvtchnUnbind extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_evtchn_unbind";
    /** Offset of {@code port}. */
    public static final int PORT_OFFSET = 0;
    /** {@code sizeof(struct ioctl_evtchn_unbind)} on x86_64. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlEvtchnUnbind wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code port}: the local port.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
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
    public IoctlEvtchnUnbind port(final int value) {
        buffer.putInt(offset + PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
