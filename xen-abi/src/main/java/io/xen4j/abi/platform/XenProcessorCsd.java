package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One C-state dependency ({@code _CSD}) entry: which processors share a C-state and how they
 * coordinate.
 *
 * <pre>{@code
 * struct xen_processor_csd {
 *     uint32_t    domain;      // domain number of one dependent group
 *     uint32_t    coord_type;  // coordination type
 *     uint32_t    num;         // number of processors in same domain
 * };
 * }</pre>
 */
public final class XenProcessorCsd extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_processor_csd";
    /** Offset of {@code domain}. */
    public static final int DOMAIN_OFFSET = 0;
    /** Offset of {@code coord_type}. */
    public static final int COORD_TYPE_OFFSET = DOMAIN_OFFSET + Integer.BYTES;
    /** Offset of {@code num}. */
    public static final int NUM_OFFSET = COORD_TYPE_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_processor_csd)} on x86_64. */
    public static final int LENGTH = 12;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenProcessorCsd wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code domain}: the dependency domain number.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int domain() {
        return buffer.getInt(offset + DOMAIN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domain}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCsd domain(final int value) {
        buffer.putInt(offset + DOMAIN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code coord_type}: the coordination type.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int coordType() {
        return buffer.getInt(offset + COORD_TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code coord_type}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCsd coordType(final int value) {
        buffer.putInt(offset + COORD_TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code num}: the number of processors in the dependency domain.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int num() {
        return buffer.getInt(offset + NUM_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code num}.
     *
     * @param value the value
     * @return this
     */
    public XenProcessorCsd num(final int value) {
        buffer.putInt(offset + NUM_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
