package io.xen4j.abi.event;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code EVTCHNOP_bind_virq}: binds a virtual interrupt ({@code VIRQ_*}) of a vCPU
 * to a new port; the same 12 bytes in every ABI.
 *
 * <pre>{@code
 * struct evtchn_bind_virq {
 *     // IN parameters.
 *     uint32_t virq; // enum virq
 *     uint32_t vcpu;
 *     // OUT parameters.
 *     evtchn_port_t port;
 * };
 * }</pre>
 */
public final class EvtchnBindVirq extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "evtchn_bind_virq";
    /** Offset of {@code virq}. */
    public static final int VIRQ_OFFSET = 0;
    /** Offset of {@code vcpu}. */
    public static final int VCPU_OFFSET = VIRQ_OFFSET + Integer.BYTES;
    /** Offset of {@code port}. */
    public static final int PORT_OFFSET = VCPU_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct evtchn_bind_virq)}, the same in every ABI. */
    public static final int LENGTH = 12;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public EvtchnBindVirq wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code virq}: the virtual interrupt, a {@code VIRQ_*}.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int virq() {
        return buffer.getInt(offset + VIRQ_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code virq}.
     *
     * @param value the value
     * @return this
     */
    public EvtchnBindVirq virq(final int value) {
        buffer.putInt(offset + VIRQ_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code vcpu}: the vCPU whose interrupt is bound.
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
    public EvtchnBindVirq vcpu(final int value) {
        buffer.putInt(offset + VCPU_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code port}: the new port (out).
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
    public EvtchnBindVirq port(final int value) {
        buffer.putInt(offset + PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
