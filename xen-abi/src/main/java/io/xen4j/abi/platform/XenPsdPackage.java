package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The P-state dependency ({@code _PSD}) package: which processors coordinate their P-states and
 * how.
 *
 * <pre>{@code
 * struct xen_psd_package {
 *     uint64_t num_entries;
 *     uint64_t revision;
 *     uint64_t domain;
 *     uint64_t coord_type;
 *     uint64_t num_processors;
 * };
 * }</pre>
 */
public final class XenPsdPackage extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_psd_package";
    /** Offset of {@code num_entries}. */
    public static final int NUM_ENTRIES_OFFSET = 0;
    /** Offset of {@code revision}. */
    public static final int REVISION_OFFSET = NUM_ENTRIES_OFFSET + Long.BYTES;
    /** Offset of {@code domain}. */
    public static final int DOMAIN_OFFSET = REVISION_OFFSET + Long.BYTES;
    /** Offset of {@code coord_type}. */
    public static final int COORD_TYPE_OFFSET = DOMAIN_OFFSET + Long.BYTES;
    /** Offset of {@code num_processors}. */
    public static final int NUM_PROCESSORS_OFFSET = COORD_TYPE_OFFSET + Long.BYTES;
    /** {@code sizeof(struct xen_psd_package)} on x86_64. */
    public static final int LENGTH = 40;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenPsdPackage wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code num_entries}: the number of entries of the package.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long numEntries() {
        return buffer.getLong(offset + NUM_ENTRIES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code num_entries}.
     *
     * @param value the value
     * @return this
     */
    public XenPsdPackage numEntries(final long value) {
        buffer.putLong(offset + NUM_ENTRIES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code revision}: the package revision.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long revision() {
        return buffer.getLong(offset + REVISION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code revision}.
     *
     * @param value the value
     * @return this
     */
    public XenPsdPackage revision(final long value) {
        buffer.putLong(offset + REVISION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domain}: the dependency domain number.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long domain() {
        return buffer.getLong(offset + DOMAIN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domain}.
     *
     * @param value the value
     * @return this
     */
    public XenPsdPackage domain(final long value) {
        buffer.putLong(offset + DOMAIN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code coord_type}: the coordination type, {@code XEN_CPUPERF_SHARED_TYPE_*} after translation.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long coordType() {
        return buffer.getLong(offset + COORD_TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code coord_type}.
     *
     * @param value the value
     * @return this
     */
    public XenPsdPackage coordType(final long value) {
        buffer.putLong(offset + COORD_TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code num_processors}: the number of processors in the dependency domain.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long numProcessors() {
        return buffer.getLong(offset + NUM_PROCESSORS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code num_processors}.
     *
     * @param value the value
     * @return this
     */
    public XenPsdPackage numProcessors(final long value) {
        buffer.putLong(offset + NUM_PROCESSORS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
