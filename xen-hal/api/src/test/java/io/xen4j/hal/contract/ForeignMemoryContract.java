package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantEntryV1;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.abi.memory.XenMem;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.ForeignMemory;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenService;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ForeignMemory}: a privileged domain maps a guest's frames and grant
 * table, as a toolstack does.
 */
public abstract class ForeignMemoryContract extends HalContract {
    private ForeignMemory foreign() {
        return bed().privileged().foreignMemory();
    }

    @Test
    void aPrivilegedDomainMapsAGuestFrameAndTwoMappingsShareIt() {
        final long gfn = bed().populatedGuestFrame();
        final int guest = bed().guest().domid();
        try (ForeignMapping a = foreign().mapFrames(guest, new long[] {gfn}, true);
             ForeignMapping b = foreign().mapFrames(guest, new long[] {gfn}, false)) {
            assertTrue(a.allMapped());
            assertEquals(0, a.error(0));
            assertEquals(guest, a.domid());
            assertEquals(1, a.frameCount());
            assertEquals(GrantTables.PAGE_SIZE, a.buffer().capacity());
            final long old = a.buffer().getLong(0);
            a.buffer().putLongVolatile(0, 0x5EED_5EEDL);
            assertEquals(0x5EED_5EEDL, b.buffer().getLongVolatile(0));
            a.buffer().putLong(0, old);
            assertFalse(b.writable());
            assertThrows(XenHalException.class, () -> b.buffer().putByte(0, (byte) 1));
        }
    }

    @Test
    void aFrameThatCannotBeMappedHasItsOwnErrorAndFailsOnAccess() {
        final long gfn = bed().populatedGuestFrame();
        final long absent = 1L << 40;
        try (ForeignMapping m = foreign().mapFrames(bed().guest().domid(), new long[] {gfn, absent}, false)) {
            assertFalse(m.allMapped());
            assertEquals(0, m.error(0));
            assertNotEquals(0, m.error(1));
            m.buffer().getLong(0);
            final XenHalException e = assertThrows(XenHalException.class, () -> m.buffer().getLong(GrantTables.PAGE_SIZE));
            assertMentions(e, "frame 1");
        }
    }

    @Test
    void theGuestsGrantTableCanBeMappedAsAResource() {
        try (SharedPages s = bed().guest().grantTables().share(bed().privileged().domid(), 1, false);
             ForeignMapping table = foreign().mapResource(bed().guest().domid(), XenMem.XENMEM_RESOURCE_GRANT_TABLE,
                 XenMem.XENMEM_RESOURCE_GRANT_TABLE_ID_SHARED, 0, 1, false)) {
            final int at = s.grantRef(0) * GrantEntryV1.LENGTH;
            final int flags = GrantEntryV1.flags(table.buffer(), at);
            assertEquals(GrantTable.GTF_PERMIT_ACCESS, flags & GrantTable.GTF_TYPE_MASK);
            assertTrue((flags & GrantTable.GTF_READONLY) != 0);
            assertEquals(bed().privileged().domid(), GrantEntryV1.domid(table.buffer(), at));
        }
    }

    @Test
    void mappingAnUnknownDomainFailsWithEsrch() {
        final XenHalException e = assertErrno(Errno.ESRCH, () -> foreign().mapFrames(0x7FEF, new long[] {0}, false));
        assertMentions(e, "dom" + 0x7FEF);
    }

    @Test
    void anUnprivilegedGuestHasNoForeignMemory() {
        final XenHost guest = bed().guest();
        assertFalse(guest.supports(XenService.FOREIGN_MEMORY));
        final UnsupportedServiceException e = assertThrows(UnsupportedServiceException.class, guest::foreignMemory);
        assertEquals(XenService.FOREIGN_MEMORY, e.service());
        assertEquals(guest.backendName(), e.backend());
        assertMentions(e, "dom" + guest.domid(), "privcmd");
    }

    @Test
    void useAfterCloseAndDoubleCloseThrowHandleClosed() {
        final ForeignMapping m = foreign().mapFrames(bed().guest().domid(), new long[] {bed().populatedGuestFrame()}, false);
        m.close();
        assertThrows(HandleClosedException.class, m::buffer);
        final HandleClosedException e = assertThrows(HandleClosedException.class, m::close);
        assertMentions(e, "dom" + bed().guest().domid());
    }
}
