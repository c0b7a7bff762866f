package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_EVTCHN_BIND_UNBOUND_PORT}: allocate a port that {@code remote_domain} may
 * bind to; the ioctl returns the local port.
 *
 * <pre>{@code
 * struct ioctl_evtchn_bind_unbound_port {
 *     unsigned int remote_domain;
 * };
 * }</pre>
 */
public final class IoctlEvtchnBindUnboundPort extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_evtchn_bind_unbound_port";
    /** Offset of {@code remote_domain}. */
    public static final int REMOTE_DOMAIN_OFFSET = 0;
    /** {@code sizeof(struct ioctl_evtchn_bind_unbound_port)} on x86_64. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlEvtchnBindUnboundPort wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code remote_domain}: the domain allowed to bind to the port.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int remoteDomain() {
        return buffer.getInt(offset + REMOTE_DOMAIN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code remote_domain}.
     *
     * @param value the value
     * @return this
     */
    public IoctlEvtchnBindUnboundPort remoteDomain(final int value) {
        buffer.putInt(offset + REMOTE_DOMAIN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
