package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantEntryHeader;
import io.xen4j.abi.grant.GrantEntryV1;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantStatusException;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code xen/grant_table.h}, one named test each, checked on the grant entries the
 * simulated host keeps: the {@code GTF_*} bits the guest and Xen set, and what Xen refuses.
 */
final class GrantTableRulesTest {
    private final SimulatedXen xen = SimulatedXen.builder().grantEntries(64).build();
    private final SimulatedDomain dom0 = xen.dom0();
    private final SimulatedDomain guest = xen.createDomain("guest");
    private final SimulatedDomain other = xen.createDomain("other");

    @AfterEach
    void close() {
        xen.close();
    }

    private XenHost g() {
        return guest.host();
    }

    private XenHost d0() {
        return dom0.host();
    }

    @Test
    void introducingAnEntryWritesDomidAndFrameThenPermitAccess() {
        try (SharedPages s = g().grantTables().share(0, 1, true)) {
            final GrantEntrySnapshot e = guest.grantEntry(s.grantRef(0));
            assertEquals(GrantTable.GTF_PERMIT_ACCESS, e.flags());
            assertTrue(e.permitsAccess());
            assertFalse(e.readonly());
            assertEquals(0, e.domid());
            assertTrue(e.frame() >= 0);
        }
    }

    @Test
    void aReadOnlyShareSetsGtfReadonly() {
        try (SharedPages s = g().grantTables().share(0, 1, false)) {
            final GrantEntrySnapshot e = guest.grantEntry(s.grantRef(0));
            assertEquals(GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_READONLY, e.flags());
        }
    }

    @Test
    void sharesNeverUseTheReservedReferences() {
        try (SharedPages s = g().grantTables().share(0, 4, true)) {
            for (int i = 0; i < 4; i++) {
                assertTrue(s.grantRef(i) >= GrantTable.GNTTAB_NR_RESERVED_ENTRIES);
            }
            assertEquals(GrantTable.GNTTAB_NR_RESERVED_ENTRIES, s.grantRef(0), "lowest free reference first");
        }
    }

    @Test
    void xenSetsGtfReadingWhileMappedReadOnly() {
        try (SharedPages s = g().grantTables().share(0, 1, true)) {
            final int ref = s.grantRef(0);
            try (MappedGrants m = d0().grantTables().map(guest.domid(), ref, false)) {
                assertTrue(guest.grantEntry(ref).reading());
                assertFalse(guest.grantEntry(ref).writing());
                assertTrue(m.pageCount() > 0);
            }
            assertFalse(guest.grantEntry(ref).reading(), "cleared when the last mapping goes");
        }
    }

    @Test
    void xenSetsGtfReadingAndWritingWhileMappedWritable() {
        try (SharedPages s = g().grantTables().share(0, 1, true)) {
            final int ref = s.grantRef(0);
            try (MappedGrants m = d0().grantTables().map(guest.domid(), ref, true)) {
                assertTrue(guest.grantEntry(ref).reading());
                assertTrue(guest.grantEntry(ref).writing());
                assertTrue(m.writable());
            }
            assertEquals(GrantTable.GTF_PERMIT_ACCESS, guest.grantEntry(ref).flags());
        }
    }

    @Test
    void gtfWritingClearsWithTheLastWriterWhileReadersRemain() {
        try (SharedPages s = g().grantTables().share(0, 1, true)) {
            final int ref = s.grantRef(0);
            final MappedGrants reader = d0().grantTables().map(guest.domid(), ref, false);
            final MappedGrants writer = d0().grantTables().map(guest.domid(), ref, true);
            assertTrue(guest.grantEntry(ref).writing());
            writer.close();
            assertFalse(guest.grantEntry(ref).writing());
            assertTrue(guest.grantEntry(ref).reading());
            assertFalse(s.tryEndAccess());
            reader.close();
            assertTrue(s.tryEndAccess());
            assertEquals(0, guest.grantEntry(ref).flags(), "invalidated: flags are 0");
        }
    }

    @Test
    void endAccessIsACompareAndSetThatFailsWhileReadingOrWriting() {
        try (SharedPages s = g().grantTables().share(0, 1, true)) {
            final int at = s.grantRef(0) * GrantEntryV1.LENGTH;
            final AtomicBuffer table = guest.grantTable();
            try (MappedGrants m = d0().grantTables().map(guest.domid(), s.grantRef(0), false)) {
                final int flags = GrantEntryHeader.flagsVolatile(table, at);
                assertTrue((flags & GrantTable.GTF_READING) != 0);
                assertFalse(s.tryEndAccess());
                assertEquals(flags, GrantEntryHeader.flagsVolatile(table, at), "a failed end-access changes nothing");
                assertFalse(m.writable());
            }
        }
    }

    @Test
    void anEntryThatIsNotPermitAccessCannotBeMapped() {
        // grant_table.h: GTF_invalid grants nothing; GTF_accept_transfer and GTF_transitive allow
        // no mappings.
        for (final int type : new int[] {GrantTable.GTF_INVALID, GrantTable.GTF_ACCEPT_TRANSFER, GrantTable.GTF_TRANSITIVE}) {
            final int ref = 20;
            forge(ref, type, 0, 1);
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> d0().grantTables().map(guest.domid(), ref, false));
            assertEquals(GrantTable.GNTST_GENERAL_ERROR, e.status());
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    @Test
    void anEntryForAnotherDomainIsRefused() {
        forge(21, GrantTable.GTF_PERMIT_ACCESS, other.domid(), 1);
        final GrantStatusException e = assertThrows(GrantStatusException.class,
            () -> d0().grantTables().map(guest.domid(), 21, false));
        assertEquals(GrantTable.GNTST_GENERAL_ERROR, e.status());
        assertTrue(String.valueOf(e.getMessage()).contains("granted to dom" + other.domid() + ", not dom0"), e.getMessage());
        try (MappedGrants m = other.host().grantTables().map(guest.domid(), 21, false)) {
            assertEquals(1, m.pageCount(), "the named domain may map it");
        }
    }

    @Test
    void aSubPageGrantMayOnlyBeCopied() {
        forge(22, GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_SUB_PAGE, 0, 1);
        assertThrows(GrantStatusException.class, () -> d0().grantTables().map(guest.domid(), 22, false));
    }

    @Test
    void aGrantOfAnUnpopulatedFrameIsBadPage() {
        forge(23, GrantTable.GTF_PERMIT_ACCESS, 0, (int) guest.config().maxPages() + 100);
        final GrantStatusException e = assertThrows(GrantStatusException.class,
            () -> d0().grantTables().map(guest.domid(), 23, false));
        assertEquals(GrantTable.GNTST_BAD_PAGE, e.status());
        assertEquals(0, guest.grantEntry(23).flags() & GrantTable.GTF_READING, "the refused pin is undone");
    }

    @Test
    void aReferenceOutsideTheTableIsBadGntref() {
        final GrantStatusException e = assertThrows(GrantStatusException.class,
            () -> d0().grantTables().map(guest.domid(), guest.grantEntries(), false));
        assertEquals(GrantTable.GNTST_BAD_GNTREF, e.status());
    }

    @Test
    void aGrantOfAnUnknownDomainIsBadDomain() {
        final GrantStatusException e = assertThrows(GrantStatusException.class,
            () -> d0().grantTables().map(999, 8, false));
        assertEquals(GrantTable.GNTST_BAD_DOMAIN, e.status());
        assertEquals(999, e.domid());
    }

    @Test
    void aFullGrantTableFailsWithEnospc() {
        final int free = guest.grantEntries() - GrantTable.GNTTAB_NR_RESERVED_ENTRIES;
        try (SharedPages all = g().grantTables().share(0, free, true)) {
            final XenHalException e = assertThrows(XenHalException.class, () -> g().grantTables().share(0, 1, true));
            assertEquals(Errno.ENOSPC, e.errno());
            assertTrue(all.pageCount() == free);
        }
        g().grantTables().share(0, 1, true).close();
    }

    @Test
    void aCopyPinsOnlyForTheCopy() {
        try (SharedPages s = g().grantTables().share(0, 1, false)) {
            final GrantCopyBatch batch = new GrantCopyBatch(1);
            batch.addGrantToLocal(guest.domid(), s.grantRef(0), 0, new UnsafeBuffer(new byte[8]), 0, 8);
            d0().grantTables().copy(batch);
            assertEquals(GrantTable.GNTST_OKAY, batch.status(0));
            assertEquals(GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_READONLY, guest.grantEntry(s.grantRef(0)).flags());
        }
    }

    @Test
    void aWritePinOfAReadOnlyGrantIsGeneralError() {
        try (SharedPages s = g().grantTables().share(0, 1, false)) {
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> d0().grantTables().map(guest.domid(), s.grantRef(0), true));
            assertEquals(GrantTable.GNTST_GENERAL_ERROR, e.status());
            assertTrue(String.valueOf(e.getMessage()).contains("read-only"), e.getMessage());
            final GrantCopyBatch batch = new GrantCopyBatch(1);
            batch.addLocalToGrant(new UnsafeBuffer(new byte[8]), 0, guest.domid(), s.grantRef(0), 0, 8);
            d0().grantTables().copy(batch);
            assertEquals(GrantTable.GNTST_GENERAL_ERROR, batch.status(0));
        }
    }

    @Test
    void aPageMappedByAPeerCannotBeBallooned() {
        try (SharedPages s = g().grantTables().share(0, 1, true)) {
            final long gfn = guest.grantEntry(s.grantRef(0)).frame();
            assertEquals(0, g().memoryReservation().decreaseReservation(new long[] {gfn}, 1), "in use by the share");
        }
    }

    @Test
    void theToolstackSeedsAGrantInTheGuestTableThroughTheResource() {
        // As xc_dom_gnttab_seed does for the console and xenstore pages (refs 0 and 1).
        try (var table = d0().foreignMemory().mapResource(guest.domid(), 1, 0, 0, 1, true)) {
            final AtomicBuffer t = table.buffer();
            final int at = GrantTable.GNTTAB_RESERVED_XENSTORE * GrantEntryV1.LENGTH;
            t.putInt(at + GrantEntryV1.FRAME_OFFSET, 3);
            GrantEntryHeader.putHeaderWordRelease(t, at, GrantTable.GTF_PERMIT_ACCESS, 0);
        }
        try (MappedGrants store = d0().grantTables().map(guest.domid(), GrantTable.GNTTAB_RESERVED_XENSTORE, true)) {
            assertTrue(guest.grantEntry(GrantTable.GNTTAB_RESERVED_XENSTORE).writing());
            assertEquals(4096, store.buffer().capacity());
        }
    }

    /** Writes an entry as a (hostile) guest kernel could. */
    private void forge(final int ref, final int flags, final int domid, final int frame) {
        final AtomicBuffer t = guest.grantTable();
        final int at = ref * GrantEntryV1.LENGTH;
        t.putInt(at + GrantEntryV1.FRAME_OFFSET, frame);
        GrantEntryHeader.putHeaderWordRelease(t, at, flags, domid);
    }
}
