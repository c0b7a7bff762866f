package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One copy of {@code IOCTL_GNTDEV_GRANT_COPY}: {@code len} bytes from {@code source} to {@code dest},
 * each either a local virtual address ({@code virt}) or a grant of another domain ({@code foreign},
 * picked by the {@code GNTCOPY_source_gref}/{@code GNTCOPY_dest_gref} bits of {@code flags}, defined in
 * {@code xen/grant_table.h}). The kernel writes a {@code GNTST_*} into {@code status}. Segments are
 * arrays on the grant-copy data path (netback), hence the static accessors.
 *
 * <pre>{@code
 * struct ioctl_gntdev_grant_copy_segment {
 *     union {
 *         void *virt;
 *         struct {
 *             uint32_t ref;
 *             uint16_t offset;
 *             uint16_t domid;
 *         } foreign;
 *     } source, dest;
 *     uint16_t len;
 *     uint16_t flags;
 *     int16_t status;
 * };
 * }</pre>
 */
public final class IoctlGntdevGrantCopySegment extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_grant_copy_segment";
    /** Offset of {@code source}. */
    public static final int SOURCE_OFFSET = 0;
    /** Offset of {@code source.virt}. */
    public static final int SOURCE_VIRT_OFFSET = SOURCE_OFFSET;
    /** Offset of {@code source.foreign.ref}. */
    public static final int SOURCE_FOREIGN_REF_OFFSET = SOURCE_OFFSET;
    /** Offset of {@code source.foreign.offset}. */
    public static final int SOURCE_FOREIGN_OFFSET_OFFSET = SOURCE_FOREIGN_REF_OFFSET + Integer.BYTES;
    /** Offset of {@code source.foreign.domid}. */
    public static final int SOURCE_FOREIGN_DOMID_OFFSET = SOURCE_FOREIGN_OFFSET_OFFSET + Short.BYTES;
    /** Offset of {@code dest}. */
    public static final int DEST_OFFSET = SOURCE_OFFSET + Long.BYTES;
    /** Offset of {@code dest.virt}. */
    public static final int DEST_VIRT_OFFSET = DEST_OFFSET;
    /** Offset of {@code dest.foreign.ref}. */
    public static final int DEST_FOREIGN_REF_OFFSET = DEST_OFFSET;
    /** Offset of {@code dest.foreign.offset}. */
    public static final int DEST_FOREIGN_OFFSET_OFFSET = DEST_FOREIGN_REF_OFFSET + Integer.BYTES;
    /** Offset of {@code dest.foreign.domid}. */
    public static final int DEST_FOREIGN_DOMID_OFFSET = DEST_FOREIGN_OFFSET_OFFSET + Short.BYTES;
    /** Offset of {@code len}. */
    public static final int LEN_OFFSET = DEST_OFFSET + Long.BYTES;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = LEN_OFFSET + Short.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = FLAGS_OFFSET + Short.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_grant_copy_segment)} on x86_64, 2 bytes of tail padding included. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevGrantCopySegment wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code source.virt}: the local source address.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the address (x86_64 user-space pointer)
     */
    public static long sourceVirt(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + SOURCE_VIRT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code source.virt}: the local source address.
     *
     * @return the address (x86_64 user-space pointer)
     */
    public long sourceVirt() {
        return sourceVirt(buffer, offset);
    }

    /**
     * Writes {@code source.virt}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment sourceVirt(final long value) {
        buffer.putLong(offset + SOURCE_VIRT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code source.foreign.ref}: the source grant reference.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public static int sourceForeignRef(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + SOURCE_FOREIGN_REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code source.foreign.ref}: the source grant reference.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int sourceForeignRef() {
        return sourceForeignRef(buffer, offset);
    }

    /**
     * Writes {@code source.foreign.ref}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment sourceForeignRef(final int value) {
        buffer.putInt(offset + SOURCE_FOREIGN_REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code source.foreign.offset}: the byte offset in the source page.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, zero-extended
     */
    public static int sourceForeignOffset(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + SOURCE_FOREIGN_OFFSET_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code source.foreign.offset}: the byte offset in the source page.
     *
     * @return the value, zero-extended
     */
    public int sourceForeignOffset() {
        return sourceForeignOffset(buffer, offset);
    }

    /**
     * Writes {@code source.foreign.offset}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment sourceForeignOffset(final int value) {
        buffer.putShort(offset + SOURCE_FOREIGN_OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code source.foreign.domid}: the domain that granted the source page.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, zero-extended
     */
    public static int sourceForeignDomid(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + SOURCE_FOREIGN_DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code source.foreign.domid}: the domain that granted the source page.
     *
     * @return the value, zero-extended
     */
    public int sourceForeignDomid() {
        return sourceForeignDomid(buffer, offset);
    }

    /**
     * Writes {@code source.foreign.domid}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment sourceForeignDomid(final int value) {
        buffer.putShort(offset + SOURCE_FOREIGN_DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.virt}: the local destination address.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the address (x86_64 user-space pointer)
     */
    public static long destVirt(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + DEST_VIRT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code dest.virt}: the local destination address.
     *
     * @return the address (x86_64 user-space pointer)
     */
    public long destVirt() {
        return destVirt(buffer, offset);
    }

    /**
     * Writes {@code dest.virt}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment destVirt(final long value) {
        buffer.putLong(offset + DEST_VIRT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.foreign.ref}: the destination grant reference.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public static int destForeignRef(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + DEST_FOREIGN_REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code dest.foreign.ref}: the destination grant reference.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int destForeignRef() {
        return destForeignRef(buffer, offset);
    }

    /**
     * Writes {@code dest.foreign.ref}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment destForeignRef(final int value) {
        buffer.putInt(offset + DEST_FOREIGN_REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.foreign.offset}: the byte offset in the destination page.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, zero-extended
     */
    public static int destForeignOffset(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + DEST_FOREIGN_OFFSET_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code dest.foreign.offset}: the byte offset in the destination page.
     *
     * @return the value, zero-extended
     */
    public int destForeignOffset() {
        return destForeignOffset(buffer, offset);
    }

    /**
     * Writes {@code dest.foreign.offset}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment destForeignOffset(final int value) {
        buffer.putShort(offset + DEST_FOREIGN_OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dest.foreign.domid}: the domain that granted the destination page.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, zero-extended
     */
    public static int destForeignDomid(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + DEST_FOREIGN_DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code dest.foreign.domid}: the domain that granted the destination page.
     *
     * @return the value, zero-extended
     */
    public int destForeignDomid() {
        return destForeignDomid(buffer, offset);
    }

    /**
     * Writes {@code dest.foreign.domid}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment destForeignDomid(final int value) {
        buffer.putShort(offset + DEST_FOREIGN_DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code len}: the number of bytes to copy.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, zero-extended
     */
    public static int len(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + LEN_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code len}: the number of bytes to copy.
     *
     * @return the value, zero-extended
     */
    public int len() {
        return len(buffer, offset);
    }

    /**
     * Writes {@code len}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment len(final int value) {
        buffer.putShort(offset + LEN_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: the {@code GNTCOPY_*} bits.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, zero-extended
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code flags}: the {@code GNTCOPY_*} bits.
     *
     * @return the value, zero-extended
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: the {@code GNTST_*} result, set by the kernel.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value, sign-extended
     */
    public static int status(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code status}: the {@code GNTST_*} result, set by the kernel.
     *
     * @return the value, sign-extended
     */
    public int status() {
        return status(buffer, offset);
    }

    /**
     * Writes {@code status}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantCopySegment status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
