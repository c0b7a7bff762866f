package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_cache_flush}: cache maintenance on part of a page granted to the
 * caller, named by bus address or, with {@code GNTTAB_CACHE_SOURCE_GREF}, by grant reference.
 * Writing {@code a.ref} sets 4 of the union's 8 bytes: {@link #clear()} a reused structure first.
 * Its layout is the same in every ABI (16 bytes).
 *
 * <pre>{@code
 * struct gnttab_cache_flush {
 *     union {
 *         uint64_t dev_bus_addr;
 *         grant_ref_t ref;
 *     } a;
 *     uint16_t offset; // offset from start of grant
 *     uint16_t length; // size within the grant
 * #define GNTTAB_CACHE_CLEAN          (1u<<0)
 * #define GNTTAB_CACHE_INVAL          (1u<<1)
 * #define GNTTAB_CACHE_SOURCE_GREF    (1u<<31)
 *     uint32_t op;
 * };
 * }</pre>
 */
public final class GnttabCacheFlush extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_cache_flush";
    /** Offset of {@code a.dev_bus_addr} (the union {@code a} starts the structure). */
    public static final int DEV_BUS_ADDR_OFFSET = 0;
    /** Offset of {@code a.ref}, the other member of the union. */
    public static final int REF_OFFSET = 0;
    /** Offset of {@code offset}. */
    public static final int OFFSET_OFFSET = DEV_BUS_ADDR_OFFSET + Long.BYTES;
    /** Offset of {@code length}. */
    public static final int LENGTH_OFFSET = OFFSET_OFFSET + Short.BYTES;
    /** Offset of {@code op}. */
    public static final int OP_OFFSET = LENGTH_OFFSET + Short.BYTES;
    /** {@code sizeof(struct gnttab_cache_flush)}, the same in every ABI. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabCacheFlush wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code a.dev_bus_addr}: the bus address of the granted page.
     *
     * @return the value (unsigned 64-bit, as raw bits)
     */
    public long devBusAddr() {
        return buffer.getLong(offset + DEV_BUS_ADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code a.dev_bus_addr}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCacheFlush devBusAddr(final long value) {
        buffer.putLong(offset + DEV_BUS_ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code a.ref}: the grant reference, with {@code GNTTAB_CACHE_SOURCE_GREF}.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int ref() {
        return buffer.getInt(offset + REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code a.ref}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCacheFlush ref(final int value) {
        buffer.putInt(offset + REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code offset}: the offset in the grant ({@code offset()} is taken by the flyweight).
     *
     * @return 0..0xFFFF
     */
    public int pageOffset() {
        return buffer.getShort(offset + OFFSET_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code offset}.
     *
     * @param value the offset in the grant
     * @return this
     */
    public GnttabCacheFlush pageOffset(final int value) {
        buffer.putShort(offset + OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code length}: the number of bytes ({@code length()} is the structure's size).
     *
     * @return 0..0xFFFF
     */
    public int flushLength() {
        return buffer.getShort(offset + LENGTH_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code length}.
     *
     * @param value the number of bytes
     * @return this
     */
    public GnttabCacheFlush flushLength(final int value) {
        buffer.putShort(offset + LENGTH_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code op}: the {@code GNTTAB_CACHE_*} operation and flags.
     *
     * @return the flags (unsigned 32-bit, as raw bits)
     */
    public int op() {
        return buffer.getInt(offset + OP_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code op}.
     *
     * @param value the value
     * @return this
     */
    public GnttabCacheFlush op(final int value) {
        buffer.putInt(offset + OP_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
