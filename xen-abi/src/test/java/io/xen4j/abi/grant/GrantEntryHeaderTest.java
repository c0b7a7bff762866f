package io.xen4j.abi.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

final class GrantEntryHeaderTest {
    private static final int ENTRY = 5 * GrantEntryV1.LENGTH;

    private final UnsafeBuffer table = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final GrantEntryV1 entry = new GrantEntryV1().wrap(table, ENTRY);

    @Test
    void headerWordHoldsFlagsLowAndDomidHighAsALittleEndianLoadSeesThem() {
        entry.flags(0x8123).domid(0xFFF1).frame(0x1234_5678);
        final int word = GrantEntryHeader.headerWordVolatile(table, ENTRY);
        assertEquals(GrantEntryHeader.headerWord(0x8123, 0xFFF1), word);
        assertEquals(0x8123, GrantEntryHeader.flagsOf(word));
        assertEquals(0xFFF1, GrantEntryHeader.domidOf(word));
        assertEquals(0x8123, GrantEntryHeader.flagsVolatile(table, ENTRY));
    }

    @Test
    void publishingWritesFlagsAndDomidAndLeavesTheFrame() {
        entry.frame(77);
        GrantEntryHeader.putHeaderWordRelease(table, ENTRY, GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_READONLY, 3);
        assertEquals(GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_READONLY, entry.flags());
        assertEquals(3, entry.domid());
        assertEquals(77, entry.frame());
        assertEquals(0, GrantEntryV1.flags(table, ENTRY - GrantEntryV1.LENGTH));
        assertEquals(0, GrantEntryV1.flags(table, ENTRY + GrantEntryV1.LENGTH));
    }

    @Test
    void compareAndSetFlagsSucceedsOnlyOnTheExpectedFlagsAndKeepsTheDomid() {
        entry.flags(GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_READING).domid(0xFFFE).frame(9);

        // Ending access fails while the grantee reads, as gnttab_end_foreign_access_ref does.
        assertFalse(GrantEntryHeader.compareAndSetFlags(table, ENTRY, GrantTable.GTF_PERMIT_ACCESS, 0));
        assertEquals(GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_READING, entry.flags());

        entry.flags(GrantTable.GTF_PERMIT_ACCESS);
        assertTrue(GrantEntryHeader.compareAndSetFlags(table, ENTRY, GrantTable.GTF_PERMIT_ACCESS, 0));
        assertEquals(GrantTable.GTF_INVALID, entry.flags());
        assertEquals(0xFFFE, entry.domid());
        assertEquals(9, entry.frame());
    }

    @Test
    void theHeaderOperationsApplyToVersion2EntriesToo() {
        final GrantEntryV2 v2 = new GrantEntryV2().wrap(table, 2 * GrantEntryV2.LENGTH);
        v2.subPageFrame(0x1_0000_0001L).subPagePageOff(512).subPageLength(100);
        GrantEntryHeader.putHeaderWordRelease(
            table, v2.offset(), GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_SUB_PAGE, 7);
        assertEquals(GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_SUB_PAGE, GrantEntryV2.flags(table, v2.offset()));
        assertEquals(7, v2.domid());
        assertTrue(GrantEntryHeader.compareAndSetFlags(
            table, v2.offset(), GrantTable.GTF_PERMIT_ACCESS | GrantTable.GTF_SUB_PAGE, GrantTable.GTF_INVALID));
        assertEquals(0, v2.flags());
        assertEquals(0x1_0000_0001L, v2.subPageFrame());
        assertEquals(512, v2.subPagePageOff());
        assertEquals(100, v2.subPageLength());
    }

    @Test
    void everyEntryOfAFrameIsAddressedByItsSize() {
        assertEquals(512, GrantEntryV1.PER_PAGE);
        assertEquals(256, GrantEntryV2.PER_PAGE);
        assertEquals(GrantEntryHeader.LENGTH, GrantEntryV2.FULL_PAGE_PAD0_OFFSET);
    }
}
