package io.xen4j.abi.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class GrantStatusTest {
    @Test
    void constantsAreInTheOrderOfTheHeadersMessageList() {
        // GNTTABOP_error_msgs[-code]: the lookup table depends on this order.
        final GrantStatus[] all = GrantStatus.values();
        for (int i = 0; i < all.length; i++) {
            assertEquals(-i, all[i].code(), all[i].name());
            assertSame(all[i], GrantStatus.fromCode(-i));
        }
        assertEquals(GrantTable.GNTST_NO_SPACE, all[all.length - 1].code());
    }

    @Test
    void unknownCodesHaveNoStatusButStillADescription() {
        assertNull(GrantStatus.fromCode(1));
        assertNull(GrantStatus.fromCode(GrantTable.GNTST_NO_SPACE - 1));
        assertNull(GrantStatus.fromCode(Integer.MIN_VALUE));
        assertNull(GrantStatus.fromCode(Integer.MAX_VALUE));
        assertEquals("unknown grant status -99", GrantStatus.describe(-99));
        assertEquals("invalid grant reference (GNTST -3)", GrantStatus.describe(GrantTable.GNTST_BAD_GNTREF));
    }

    @Test
    void okayIsTheOnlySuccess() {
        for (final GrantStatus s : GrantStatus.values()) {
            assertEquals(s.code() == GrantTable.GNTST_OKAY, s.isOkay(), s.name());
        }
    }

    @Test
    void everyStatusHasAMessage() {
        for (final GrantStatus s : GrantStatus.values()) {
            assertTrue(!s.message().isEmpty(), s.name());
        }
    }
}
