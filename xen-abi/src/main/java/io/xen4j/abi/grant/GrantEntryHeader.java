package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The prefix shared by version 1 and version 2 grant entries, the same in every ABI (4 bytes).
 *
 * <pre>{@code
 * struct grant_entry_header {
 *     uint16_t flags;
 *     domid_t  domid;
 * };
 * }</pre>
 *
 * <p>Besides the plain accessors this class holds the atomic operations on {@code flags} that the
 * header's concurrency rules ask for (CMPXCHG to invalidate an entry or make it read-only, a write
 * barrier before {@code flags} when an entry is introduced). Java has no 16-bit compare-and-set,
 * so they act on the aligned 32-bit <em>header word</em> that {@code flags} shares with
 * {@code domid}: {@code flags} in its low 16 bits, {@code domid} in its high 16 bits (little-endian).
 * They work on the entry at any offset of a grant table, v1 or v2, as long as the offset is a
 * multiple of 4 (entries are 8 or 16 bytes in page-aligned frames).
 */
public final class GrantEntryHeader extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "grant_entry_header";
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = FLAGS_OFFSET + Short.BYTES;
    /** {@code sizeof(struct grant_entry_header)}. */
    public static final int LENGTH = 4;

    // AtomicBuffer accesses use the platform's byte order; Xen's is little-endian.
    private static final boolean NATIVE_IS_XEN_ORDER = ByteOrder.nativeOrder() == XEN_BYTE_ORDER;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GrantEntryHeader wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code flags} (plain read): the entry type and the {@code GTF_*} subflags.
     *
     * @param buffer buffer holding the entry
     * @param offset offset of the entry
     * @return 0..0xFFFF
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code flags}: the entry type and the {@code GTF_*} subflags.
     *
     * @return 0..0xFFFF
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Writes {@code flags} (plain write; see {@link #putHeaderWordRelease} to publish an entry).
     *
     * @param value the flags
     * @return this
     */
    public GrantEntryHeader flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domid}: the domain granted the access.
     *
     * @param buffer buffer holding the entry
     * @param offset offset of the entry
     * @return 0..0xFFFF
     */
    public static int domid(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code domid}: the domain granted the access.
     *
     * @return 0..0xFFFF
     */
    public int domid() {
        return domid(buffer, offset);
    }

    /**
     * Writes {@code domid}.
     *
     * @param value the domain id
     * @return this
     */
    public GrantEntryHeader domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * The header word holding {@code flags} and {@code domid}.
     *
     * @param flags {@code flags}, low 16 bits used
     * @param domid {@code domid}, low 16 bits used
     * @return the word as a little-endian load of the entry's first 4 bytes returns it
     */
    public static int headerWord(final int flags, final int domid) {
        return (flags & 0xFFFF) | (domid << 16);
    }

    /**
     * The {@code flags} half of a header word.
     *
     * @param word a header word
     * @return 0..0xFFFF
     */
    public static int flagsOf(final int word) {
        return word & 0xFFFF;
    }

    /**
     * The {@code domid} half of a header word.
     *
     * @param word a header word
     * @return 0..0xFFFF
     */
    public static int domidOf(final int word) {
        return word >>> 16;
    }

    /**
     * Reads the header word of the entry at {@code offset} with volatile semantics, so that what
     * the grantee (or Xen) wrote before setting its flags is visible after it.
     *
     * @param buffer buffer holding the grant table
     * @param offset offset of the entry, a multiple of 4
     * @return the header word
     */
    public static int headerWordVolatile(final AtomicBuffer buffer, final int offset) {
        return fromNative(buffer.getIntVolatile(offset + FLAGS_OFFSET));
    }

    /**
     * Reads {@code flags} of the entry at {@code offset} with volatile semantics.
     *
     * @param buffer buffer holding the grant table
     * @param offset offset of the entry, a multiple of 4
     * @return 0..0xFFFF
     */
    public static int flagsVolatile(final AtomicBuffer buffer, final int offset) {
        return flagsOf(headerWordVolatile(buffer, offset));
    }

    /**
     * Writes {@code flags} and {@code domid} together with release semantics: step 4 of
     * "introducing a valid entry" (write {@code domid} and {@code frame}, WMB, write {@code flags}).
     * Every earlier write to the entry, such as its frame, is visible before the new flags.
     *
     * @param buffer buffer holding the grant table
     * @param offset offset of the entry, a multiple of 4
     * @param flags  the new {@code flags}
     * @param domid  the new {@code domid}
     */
    public static void putHeaderWordRelease(
        final AtomicBuffer buffer, final int offset, final int flags, final int domid) {
        buffer.putIntRelease(offset + FLAGS_OFFSET, toNative(headerWord(flags, domid)));
    }

    /**
     * Atomically replaces {@code flags} with {@code newFlags} if they are {@code expectedFlags},
     * leaving {@code domid} as it is: the header's {@code CMPXCHG(&ent->flags, flags, new)}.
     * Retries only while another writer changes {@code domid} in between, never when the flags
     * differ, so it is lock-free.
     *
     * @param buffer        buffer holding the grant table
     * @param offset        offset of the entry, a multiple of 4
     * @param expectedFlags the flags the caller observed
     * @param newFlags      the flags to set
     * @return whether the flags were {@code expectedFlags} and are now {@code newFlags}
     */
    public static boolean compareAndSetFlags(
        final AtomicBuffer buffer, final int offset, final int expectedFlags, final int newFlags) {
        final int at = offset + FLAGS_OFFSET;
        while (true) {
            final int nativeWord = buffer.getIntVolatile(at);
            final int word = fromNative(nativeWord);
            if (flagsOf(word) != (expectedFlags & 0xFFFF)) {
                return false;
            }
            final int updated = headerWord(newFlags, domidOf(word));
            if (buffer.compareAndSetInt(at, nativeWord, toNative(updated))) {
                return true;
            }
        }
    }

    private static int fromNative(final int nativeWord) {
        return NATIVE_IS_XEN_ORDER ? nativeWord : Integer.reverseBytes(nativeWord);
    }

    private static int toNative(final int word) {
        return NATIVE_IS_XEN_ORDER ? word : Integer.reverseBytes(word);
    }
}
