package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_EVTCHN_BIND_INTERDOMAIN}: connect to an unbound port another domain
 * offered; the ioctl returns the local port.
 *
 * <pre>{@code
 * struct ioctl_evtchn_bind_interdomain {
 *     unsigned int remote_domain, remote_port;
 * };
 * }</pre>
 */
public final class IoctlEvtchnBindInterdomain extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_evtchn_bind_interdomain";
    /** Offset of {@code remote_domain}. */
    public static final int REMOTE_DOMAIN_OFFSET = 0;
    /** Offset of {@code remote_port}. */
    public static final int REMOTE_PORT_OFFSET = REMOTE_DOMAIN_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_evtchn_bind_interdomain)} on x86_64. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlEvtchnBindInterdomain wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code remote_domain}: the domain that offered the port.
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
    public IoctlEvtchnBindInterdomain remoteDomain(final int value) {
        buffer.putInt(offset + REMOTE_DOMAIN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code remote_port}: the unbound port in that domain.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
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
    public IoctlEvtchnBindInterdomain remotePort(final int value) {
        buffer.putInt(offset + REMOTE_PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
