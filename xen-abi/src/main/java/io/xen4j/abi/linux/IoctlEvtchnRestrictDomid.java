package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_EVTCHN_RESTRICT_DOMID}: from now on this file descriptor may bind
 * interdomain ports to {@code domid} only (a device model deprivileging itself).
 *
 * <pre>{@code
 * struct ioctl_evtchn_restrict_domid {
 *     domid_t domid;
 * };
 * }</pre>
 */
public final class IoctlEvtchnRestrictDomid extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_evtchn_restrict_domid";
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = 0;
    /** {@code sizeof(struct ioctl_evtchn_restrict_domid)} on x86_64. */
    public static final int LENGTH = 2;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlEvtchnRestrictDomid wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code domid}: the only domain interdomain bindings may target.
     *
     * @return the value, zero-extended
     */
    public int domid() {
        return buffer.getShort(offset + DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code domid}.
     *
     * @param value the value
     * @return this
     */
    public IoctlEvtchnRestrictDomid domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
