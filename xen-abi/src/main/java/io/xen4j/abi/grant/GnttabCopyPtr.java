package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One end of a {@code GNTTABOP_copy}: a grant reference of {@code domid} or a frame number, as the
 * copy's {@code GNTCOPY_*} flags say, and the offset in that page. Writing {@code u.ref} sets 4 of
 * the union's 8 bytes: {@link #clear()} a reused structure first. This is the x86_64 layout (16
 * bytes); the x86_32 one differs (a 4-byte {@code xen_pfn_t}: 8 bytes) and has no class: a 64-bit
 * JVM only ever passes this structure to the hypervisor (or privcmd).
 *
 * <pre>{@code
 * struct gnttab_copy_ptr {
 *     union {
 *         grant_ref_t ref;
 *         xen_pfn_t   gmfn;
 *     } u;
 *     domid_t  domid;
 *     uint16_t offset;
 * };
 * }</pre>
 */
public final class GnttabCopyPtr extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_copy_ptr";
    /** Offset of {@code u.ref} (the union {@code u} starts the structure). */
    public static final int REF_OFFSET = 0;
    /** Offset of {@code u.gmfn}, the other member of the union. */
    public static final int GMFN_OFFSET = 0;
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = GMFN_OFFSET + Long.BYTES;
    /** Offset of {@code offset}. */
    public static final int OFFSET_OFFSET = DOMID_OFFSET + Short.BYTES; // then 4 bytes of tail padding
    /** {@code sizeof(struct gnttab_copy_ptr)} in the x86_64 ABI. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabCopyPtr wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code u.ref}: the grant reference, with {@code GNTCOPY_source_gref} or {@code GNTCOPY_dest_gref}.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int ref() {
        return buffer.getInt(offset + REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.ref}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCopyPtr ref(final int value) {
        buffer.putInt(offset + REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.gmfn}: the frame number, without the {@code *_gref} flag.
     *
     * @return the frame number (64-bit {@code xen_pfn_t}, as raw bits)
     */
    public long gmfn() {
        return buffer.getLong(offset + GMFN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code u.gmfn}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCopyPtr gmfn(final long value) {
        buffer.putLong(offset + GMFN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domid}: the domain whose grant or frame it is.
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
    public GnttabCopyPtr domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code offset}: the offset in the page ({@code offset()} is taken by the flyweight).
     *
     * @return 0..0xFFFF
     */
    public int pageOffset() {
        return buffer.getShort(offset + OFFSET_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code offset}.
     *
     * @param value the offset in the page
     * @return this
     */
    public GnttabCopyPtr pageOffset(final int value) {
        buffer.putShort(offset + OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
