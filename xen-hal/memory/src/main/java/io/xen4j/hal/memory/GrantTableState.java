package io.xen4j.hal.memory;

import io.xen4j.abi.grant.GrantEntryHeader;
import io.xen4j.abi.grant.GrantEntryV1;
import io.xen4j.abi.grant.GrantTable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A simulated domain's grant table: a real array of {@code grant_entry_v1} in memory, read and
 * written with the protocol of {@code xen/grant_table.h}, and Xen's private bookkeeping beside it
 * (the active entries: how many read and write mappings pin each reference).
 *
 * <p>Both sides act on the entries as the real ones do. The guest side (this domain's kernel,
 * simulated for {@link SharedPages}) publishes an entry by writing the frame, then flags and
 * domid together with release semantics, and ends access by a compare-and-set of the flags that
 * fails while {@code GTF_reading} or {@code GTF_writing} is set. The Xen side (a peer's map or
 * copy) checks type, domid and read-only under a compare-and-set that sets those bits. Java has no
 * 16-bit CAS, so both go through the aligned 32-bit word that flags share with domid
 * ({@link GrantEntryHeader}). Tests may forge entries through {@link #table} as a hostile guest
 * would; Xen's checks read the entries afresh, so a forged entry is judged like a real one.
 */
final class GrantTableState {
    static final int TYPE_MASK = GrantTable.GTF_TYPE_MASK;

    final int entries;
    final ByteBuffer region;
    final UnsafeBuffer table;
    private final int[] readPins;
    private final int[] writePins;
    private final int[] pinnedBy;
    private final int[] activeFrame;
    private final BitSet allocated = new BitSet();
    private final @Nullable SimSharedPages[] owners;
    private int pinnedRefs;

    GrantTableState(final int entries) {
        this.entries = entries;
        region = Physmap.allocate(Math.max(Physmap.PAGE_SIZE, entries * GrantEntryV1.LENGTH));
        table = new UnsafeBuffer(region, 0, region.capacity());
        readPins = new int[entries];
        writePins = new int[entries];
        pinnedBy = new int[entries];
        Arrays.fill(pinnedBy, -1);
        activeFrame = new int[entries];
        owners = new SimSharedPages[entries];
    }

    static int offset(final int ref) {
        return ref * GrantEntryV1.LENGTH;
    }

    int frames() {
        return region.capacity() / Physmap.PAGE_SIZE;
    }

    // ---------------------------------------------------------------------------------------------
    // Guest side

    /** Allocates a free reference above the reserved ones, or -1 when the table is full. */
    int allocateRef(final SimSharedPages owner) {
        final int ref = allocated.nextClearBit(GrantTable.GNTTAB_NR_RESERVED_ENTRIES);
        if (ref >= entries) {
            return -1;
        }
        allocated.set(ref);
        owners[ref] = owner;
        return ref;
    }

    void freeRef(final int ref) {
        allocated.clear(ref);
        owners[ref] = null;
    }

    @Nullable SimSharedPages owner(final int ref) {
        return ref >= 0 && ref < entries ? owners[ref] : null;
    }

    int allocatedRefs() {
        return allocated.cardinality();
    }

    /** Introduces a valid entry: frame first, then flags and domid with a release store. */
    void grantAccess(final int ref, final int domid, final int gfn, final boolean readonly) {
        final int at = offset(ref);
        table.putInt(at + GrantEntryV1.FRAME_OFFSET, gfn, GrantEntryV1.XEN_BYTE_ORDER);
        GrantEntryHeader.putHeaderWordRelease(table, at,
            GrantTable.GTF_PERMIT_ACCESS | (readonly ? GrantTable.GTF_READONLY : 0), domid);
    }

    /**
     * Ends access to an unused entry: {@code CMPXCHG(&ent->flags, flags, 0)} while neither
     * {@code GTF_reading} nor {@code GTF_writing} is set.
     *
     * @return false while the peer maps the page
     */
    boolean tryEndAccess(final int ref) {
        final int at = offset(ref);
        while (true) {
            final int flags = GrantEntryHeader.flagsVolatile(table, at);
            if ((flags & (GrantTable.GTF_READING | GrantTable.GTF_WRITING)) != 0) {
                return false;
            }
            if (GrantEntryHeader.compareAndSetFlags(table, at, flags, 0)) {
                return true;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Xen side

    int flags(final int ref) {
        return GrantEntryHeader.flagsVolatile(table, offset(ref));
    }

    int domid(final int ref) {
        return GrantEntryHeader.domidOf(GrantEntryHeader.headerWordVolatile(table, offset(ref)));
    }

    int frame(final int ref) {
        return GrantEntryV1.frame(table, offset(ref));
    }

    boolean isPinned(final int ref) {
        return readPins[ref] + writePins[ref] > 0;
    }

    int pinnedRefs() {
        return pinnedRefs;
    }

    /**
     * Pins a reference for a mapping or copy by {@code mapper}, as Xen's {@code _set_status_v1}
     * does on the first pin: the entry must permit access to exactly that domain, and allow
     * writing if asked; {@code GTF_reading} (and {@code GTF_writing}) are then set by
     * compare-and-set, so a racing end-access by the granter either wins before or fails after.
     *
     * @return {@code GNTST_okay} or the failure; {@code detail[0]} says why
     */
    int pin(final int ref, final int mapper, final boolean writable, final String[] detail) {
        if (ref < 0 || ref >= entries) {
            detail[0] = "ref " + Integer.toUnsignedString(ref) + " is outside the grant table of " + entries + " entries";
            return GrantTable.GNTST_BAD_GNTREF;
        }
        if (isPinned(ref) && pinnedBy[ref] != mapper) {
            detail[0] = "ref " + ref + " is in use by dom" + pinnedBy[ref];
            return GrantTable.GNTST_GENERAL_ERROR;
        }
        final boolean needStatus = !isPinned(ref) || (writable && writePins[ref] == 0);
        if (needStatus) {
            final int at = offset(ref);
            while (true) {
                final int word = GrantEntryHeader.headerWordVolatile(table, at);
                final int flags = GrantEntryHeader.flagsOf(word);
                final int domid = GrantEntryHeader.domidOf(word);
                if ((flags & TYPE_MASK) != GrantTable.GTF_PERMIT_ACCESS) {
                    detail[0] = "ref " + ref + " does not permit access (flags 0x" + Integer.toHexString(flags) + ")";
                    return GrantTable.GNTST_GENERAL_ERROR;
                }
                if (domid != mapper) {
                    detail[0] = "ref " + ref + " is granted to dom" + domid + ", not dom" + mapper;
                    return GrantTable.GNTST_GENERAL_ERROR;
                }
                if ((flags & GrantTable.GTF_SUB_PAGE) != 0) {
                    detail[0] = "ref " + ref + " grants a sub-page, which may only be copied";
                    return GrantTable.GNTST_GENERAL_ERROR;
                }
                if (writable && (flags & GrantTable.GTF_READONLY) != 0) {
                    detail[0] = "ref " + ref + " is read-only: attempt to write-pin it";
                    return GrantTable.GNTST_GENERAL_ERROR;
                }
                final int updated = flags | GrantTable.GTF_READING | (writable ? GrantTable.GTF_WRITING : 0);
                if (GrantEntryHeader.compareAndSetFlags(table, at, flags, updated)) {
                    break;
                }
            }
            if (!isPinned(ref)) {
                activeFrame[ref] = frame(ref);
            }
        }
        if (!isPinned(ref)) {
            pinnedRefs++;
        }
        pinnedBy[ref] = mapper;
        if (writable) {
            writePins[ref]++;
        } else {
            readPins[ref]++;
        }
        return GrantTable.GNTST_OKAY;
    }

    /** The frame Xen recorded when the reference was first pinned (its active entry). */
    int activeFrame(final int ref) {
        return activeFrame[ref];
    }

    /** Drops one pin; clears {@code GTF_writing} and {@code GTF_reading} as the last go. */
    void unpin(final int ref, final boolean writable) {
        if (writable) {
            writePins[ref]--;
        } else {
            readPins[ref]--;
        }
        int clear = 0;
        if (writePins[ref] == 0) {
            clear |= GrantTable.GTF_WRITING;
        }
        if (!isPinned(ref)) {
            clear |= GrantTable.GTF_READING;
            pinnedBy[ref] = -1;
            pinnedRefs--;
        }
        if (clear != 0) {
            final int at = offset(ref);
            while (true) {
                final int flags = GrantEntryHeader.flagsVolatile(table, at);
                if (GrantEntryHeader.compareAndSetFlags(table, at, flags, flags & ~clear)) {
                    break;
                }
            }
        }
    }

    /** Invalidates an entry nobody maps, as the granter's end-access would: the revoke fault. */
    boolean revoke(final int ref) {
        return ref >= 0 && ref < entries && !isPinned(ref) && tryEndAccess(ref);
    }
}
