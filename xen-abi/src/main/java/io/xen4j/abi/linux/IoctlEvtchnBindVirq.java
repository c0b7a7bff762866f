package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_EVTCHN_BIND_VIRQ}: bind a virtual IRQ of this domain; the ioctl returns
 * the local port.
 *
 * <pre>{@code
 * struct ioctl_evtchn_bind_virq {
 *     unsigned int virq;
 * };
 * }</pre>
 */
public final class IoctlEvtchnBindVirq extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_evtchn_bind_virq";
    /** Offset of {@code virq}. */
    public static final int VIRQ_OFFSET = 0;
    /** {@code sizeof(struct ioctl_evtchn_bind_virq)} on x86_64. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlEvtchnBindVirq wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code virq}: the virtual IRQ, a {@code VIRQ_*}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
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
    public IoctlEvtchnBindVirq virq(final int value) {
        buffer.putInt(offset + VIRQ_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
