package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_transfer} (PV guests only): gives page {@code mfn} to {@code domid},
 * which accepted it with grant {@code ref}. This is the x86_64 layout (24 bytes); the x86_32 one
 * differs (a 4-byte {@code xen_pfn_t}: 16 bytes) and has no class: a 64-bit JVM only ever passes
 * this structure to the hypervisor (or privcmd).
 *
 * <pre>{@code
 * struct gnttab_transfer {
 *     // IN parameters.
 *     xen_pfn_t     mfn;
 *     domid_t       domid;
 *     grant_ref_t   ref;
 *     // OUT parameters.
 *     int16_t       status;
 * };
 * }</pre>
 */
public final class GnttabTransfer extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_transfer";
    /** Offset of {@code mfn}. */
    public static final int MFN_OFFSET = 0;
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = MFN_OFFSET + Long.BYTES;
    /** Offset of {@code ref}. */
    public static final int REF_OFFSET = DOMID_OFFSET + Integer.BYTES; // 2 bytes of padding after domid
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = REF_OFFSET + Integer.BYTES; // then 6 bytes of tail padding
    /** {@code sizeof(struct gnttab_transfer)} in the x86_64 ABI. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabTransfer wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code mfn}: the frame to give away.
     *
     * @return the frame number (64-bit {@code xen_pfn_t}, as raw bits)
     */
    public long mfn() {
        return buffer.getLong(offset + MFN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code mfn}.
     *
     * @param value the value
     * @return this
     */
    public GnttabTransfer mfn(final long value) {
        buffer.putLong(offset + MFN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domid}: the receiving domain.
     *
     * @return 0..0xFFFF
     */
    public int domid() {
        return buffer.getShort(offset + DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code domid}.
     *
     * @param value the domain id
     * @return this
     */
    public GnttabTransfer domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code ref}: the receiver's {@code GTF_accept_transfer} grant.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int ref() {
        return buffer.getInt(offset + REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code ref}.
     *
     * @param value the value
     * @return this
     */
    public GnttabTransfer ref(final int value) {
        buffer.putInt(offset + REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: a {@code GNTST_*} code (out).
     *
     * @return the code, sign-extended
     */
    public int status() {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code status}.
     *
     * @param value a {@code GNTST_*} code
     * @return this
     */
    public GnttabTransfer status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
