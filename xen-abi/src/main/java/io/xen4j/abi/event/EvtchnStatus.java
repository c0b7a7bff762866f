package io.xen4j.abi.event;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code EVTCHNOP_status}: the state of a port and, by state, what it is bound to;
 * the same 24 bytes in every ABI. Which member of {@code u} is valid depends on {@code status}
 * ({@code EVTCHNSTAT_*}).
 *
 * <pre>{@code
 * struct evtchn_status {
 *     // IN parameters
 *     domid_t  dom;
 *     evtchn_port_t port;
 *     // OUT parameters
 *     uint32_t status;               // EVTCHNSTAT_*
 *     uint32_t vcpu;                 // VCPU to which this channel is bound.
 *     union {
 *         struct {
 *             domid_t dom;
 *         } unbound;                 // EVTCHNSTAT_unbound
 *         struct {
 *             domid_t dom;
 *             evtchn_port_t port;
 *         } interdomain;             // EVTCHNSTAT_interdomain
 *         uint32_t pirq;             // EVTCHNSTAT_pirq
 *         uint32_t virq;             // EVTCHNSTAT_virq
 *     } u;
 * };
 * }</pre>
 */
public final class EvtchnStatus extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "evtchn_status";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code port}: 2 bytes of padding align the port. */
    public static final int PORT_OFFSET = DOM_OFFSET + Short.BYTES + 2;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = PORT_OFFSET + Integer.BYTES;
    /** Offset of {@code vcpu}. */
    public static final int VCPU_OFFSET = STATUS_OFFSET + Integer.BYTES;
    /** Offset of the union {@code u}. */
    public static final int U_OFFSET = VCPU_OFFSET + Integer.BYTES;
    /** Offset of {@code u.unbound.dom}. */
    public static final int UNBOUND_DOM_OFFSET = U_OFFSET;
    /** Offset of {@code u.interdomain.dom}. */
    public static final int INTERDOMAIN_DOM_OFFSET = U_OFFSET;
    /** Offset of {@code u.interdomain.port}: 2 bytes of padding align the port. */
    public static final int INTERDOMAIN_PORT_OFFSET = INTERDOMAIN_DOM_OFFSET + Short.BYTES + 2;
    /** Offset of {@code u.pirq}. */
    public static final int PIRQ_OFFSET = U_OFFSET;
    /** Offset of {@code u.virq}. */
    public static final int VIRQ_OFFSET = U_OFFSET;
    /** {@code sizeof(struct evtchn_status)}, the same in every ABI. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public EvtchnStatus wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code dom}: the domain that owns the port, usually {@code DOMID_SELF}.
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
    public EvtchnStatus dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code port}: the port asked about.
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
    public EvtchnStatus port(final int value) {
        buffer.putInt(offset + PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: the port's state, an {@code EVTCHNSTAT_*} (out).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int status() {
        return buffer.getInt(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code status}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnStatus status(final int value) {
        buffer.putInt(offset + STATUS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code vcpu}: the vCPU the port notifies (out).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int vcpu() {
        return buffer.getInt(offset + VCPU_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code vcpu}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnStatus vcpu(final int value) {
        buffer.putInt(offset + VCPU_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.unbound.dom}: for {@code EVTCHNSTAT_unbound}, the domain allowed to bind (out).
     *
     * @return the value, 0..65535
     */
    public int unboundDom() {
        return buffer.getShort(offset + UNBOUND_DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code u.unbound.dom}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnStatus unboundDom(final int value) {
        buffer.putShort(offset + UNBOUND_DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.interdomain.dom}: for {@code EVTCHNSTAT_interdomain}, the remote domain (out).
     *
     * @return the value, 0..65535
     */
    public int interdomainDom() {
        return buffer.getShort(offset + INTERDOMAIN_DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code u.interdomain.dom}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnStatus interdomainDom(final int value) {
        buffer.putShort(offset + INTERDOMAIN_DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.interdomain.port}: for {@code EVTCHNSTAT_interdomain}, the remote port (out).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int interdomainPort() {
        return buffer.getInt(offset + INTERDOMAIN_PORT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.interdomain.port}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnStatus interdomainPort(final int value) {
        buffer.putInt(offset + INTERDOMAIN_PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.pirq}: for {@code EVTCHNSTAT_pirq}, the physical interrupt (out).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int pirq() {
        return buffer.getInt(offset + PIRQ_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.pirq}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnStatus pirq(final int value) {
        buffer.putInt(offset + PIRQ_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.virq}: for {@code EVTCHNSTAT_virq}, the virtual interrupt (out).
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int virq() {
        return buffer.getInt(offset + VIRQ_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.virq}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnStatus virq(final int value) {
        buffer.putInt(offset + VIRQ_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
