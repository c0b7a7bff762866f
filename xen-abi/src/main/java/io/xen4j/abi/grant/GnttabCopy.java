package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One copy of {@code GNTTABOP_copy}: {@code len} bytes from {@code source} to {@code dest}, each a
 * frame of the caller or a page another domain granted (the {@code GNTCOPY_*} flags say which);
 * neither range may cross a page boundary. Writing a {@code u.ref} sets 4 of the union's 8 bytes:
 * {@link #clear()} a reused structure first. This is the x86_64 layout (40 bytes); the x86_32 one
 * differs (a 4-byte {@code xen_pfn_t}: 24 bytes) and has no class: a 64-bit JVM only ever passes
 * this structure to the hypervisor (or privcmd).
 *
 * <pre>{@code
 * struct gnttab_copy {
 *     // IN parameters.
 *     struct gnttab_copy_ptr {
 *         union {
 *             grant_ref_t ref;
 *             xen_pfn_t   gmfn;
 *         } u;
 *         domid_t  domid;
 *         uint16_t offset;
 *     } source, dest;
 *     uint16_t      len;
 *     uint16_t      flags;          // GNTCOPY_*
 *     // OUT parameters.
 *     int16_t       status;
 * };
 * }</pre>
 */
public final class GnttabCopy extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_copy";
    /** Offset of {@code source}, a {@link GnttabCopyPtr}. */
    public static final int SOURCE_OFFSET = 0;
    /** Offset of {@code source.u.ref}. */
    public static final int SOURCE_REF_OFFSET = SOURCE_OFFSET + GnttabCopyPtr.REF_OFFSET;
    /** Offset of {@code source.u.gmfn}, the other member of the union. */
    public static final int SOURCE_GMFN_OFFSET = SOURCE_OFFSET + GnttabCopyPtr.GMFN_OFFSET;
    /** Offset of {@code source.domid}. */
    public static final int SOURCE_DOMID_OFFSET = SOURCE_OFFSET + GnttabCopyPtr.DOMID_OFFSET;
    /** Offset of {@code source.offset}. */
    public static final int SOURCE_OFFSET_OFFSET = SOURCE_OFFSET + GnttabCopyPtr.OFFSET_OFFSET;
    /** Offset of {@code dest}, a {@link GnttabCopyPtr}. */
    public static final int DEST_OFFSET = SOURCE_OFFSET + GnttabCopyPtr.LENGTH;
    /** Offset of {@code dest.u.ref}. */
    public static final int DEST_REF_OFFSET = DEST_OFFSET + GnttabCopyPtr.REF_OFFSET;
    /** Offset of {@code dest.u.gmfn}, the other member of the union. */
    public static final int DEST_GMFN_OFFSET = DEST_OFFSET + GnttabCopyPtr.GMFN_OFFSET;
    /** Offset of {@code dest.domid}. */
    public static final int DEST_DOMID_OFFSET = DEST_OFFSET + GnttabCopyPtr.DOMID_OFFSET;
    /** Offset of {@code dest.offset}. */
    public static final int DEST_OFFSET_OFFSET = DEST_OFFSET + GnttabCopyPtr.OFFSET_OFFSET;
    /** Offset of {@code len}. */
    public static final int LEN_OFFSET = DEST_OFFSET + GnttabCopyPtr.LENGTH;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = LEN_OFFSET + Short.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = FLAGS_OFFSET + Short.BYTES; // then 2 bytes of tail padding
    /** {@code sizeof(struct gnttab_copy)} in the x86_64 ABI. */
    public static final int LENGTH = 40;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabCopy wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code source.u.ref}: the source grant reference, with {@code GNTCOPY_source_gref}.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int sourceRef() {
        return buffer.getInt(offset + SOURCE_REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code source.u.ref}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCopy sourceRef(final int value) {
        buffer.putInt(offset + SOURCE_REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code source.u.gmfn}: the source frame number, without {@code GNTCOPY_source_gref}.
     *
     * @return the frame number (64-bit {@code xen_pfn_t}, as raw bits)
     */
    public long sourceGmfn() {
        return buffer.getLong(offset + SOURCE_GMFN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code source.u.gmfn}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCopy sourceGmfn(final long value) {
        buffer.putLong(offset + SOURCE_GMFN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code source.domid}: the domain of the source grant or frame.
     *
     * @return 0..0xFFFF
     */
    public int sourceDomid() {
        return buffer.getShort(offset + SOURCE_DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code source.domid}.
     *
     * @param value the domain id
     * @return this
     */
    public GnttabCopy sourceDomid(final int value) {
        buffer.putShort(offset + SOURCE_DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code source.offset}: the offset in the source page.
     *
     * @return 0..0xFFFF
     */
    public int sourceOffset() {
        return buffer.getShort(offset + SOURCE_OFFSET_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code source.offset}.
     *
     * @param value the offset in the page
     * @return this
     */
    public GnttabCopy sourceOffset(final int value) {
        buffer.putShort(offset + SOURCE_OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.u.ref}: the dest grant reference, with {@code GNTCOPY_dest_gref}.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int destRef() {
        return buffer.getInt(offset + DEST_REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code dest.u.ref}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCopy destRef(final int value) {
        buffer.putInt(offset + DEST_REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.u.gmfn}: the dest frame number, without {@code GNTCOPY_dest_gref}.
     *
     * @return the frame number (64-bit {@code xen_pfn_t}, as raw bits)
     */
    public long destGmfn() {
        return buffer.getLong(offset + DEST_GMFN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code dest.u.gmfn}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCopy destGmfn(final long value) {
        buffer.putLong(offset + DEST_GMFN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.domid}: the domain of the dest grant or frame.
     *
     * @return 0..0xFFFF
     */
    public int destDomid() {
        return buffer.getShort(offset + DEST_DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dest.domid}.
     *
     * @param value the domain id
     * @return this
     */
    public GnttabCopy destDomid(final int value) {
        buffer.putShort(offset + DEST_DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.offset}: the offset in the dest page.
     *
     * @return 0..0xFFFF
     */
    public int destOffset() {
        return buffer.getShort(offset + DEST_OFFSET_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dest.offset}.
     *
     * @param value the offset in the page
     * @return this
     */
    public GnttabCopy destOffset(final int value) {
        buffer.putShort(offset + DEST_OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code len}: the number of bytes to copy.
     *
     * @return 0..0xFFFF
     */
    public int len() {
        return buffer.getShort(offset + LEN_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code len}.
     *
     * @param value the number of bytes
     * @return this
     */
    public GnttabCopy len(final int value) {
        buffer.putShort(offset + LEN_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: the {@code GNTCOPY_*} flags.
     *
     * @return 0..0xFFFF
     */
    public int flags() {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the flags
     * @return this
     */
    public GnttabCopy flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
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
    public GnttabCopy status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
