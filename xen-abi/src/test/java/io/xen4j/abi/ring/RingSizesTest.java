package io.xen4j.abi.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.blkif.BlkifRequest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class RingSizesTest {
    /** The __RD32 cascade of ring.h, written out bit by bit as the macro does it. */
    private static long rd32(final long x) {
        return (x & 0xffff0000L) != 0 ? rd16(x >> 16) << 16 : rd16(x);
    }

    private static long rd16(final long x) {
        return (x & 0xff00) != 0 ? rd8(x >> 8) << 8 : rd8(x);
    }

    private static long rd8(final long x) {
        return (x & 0xf0) != 0 ? rd4(x >> 4) << 4 : rd4(x);
    }

    private static long rd4(final long x) {
        return (x & 0xc) != 0 ? rd2(x >> 2) << 2 : rd2(x);
    }

    private static long rd2(final long x) {
        return (x & 0x2) != 0 ? 0x2 : x & 0x1;
    }

    @Test
    void roundDownMatchesTheMacroCascade() {
        for (int x = 0; x < 70_000; x++) {
            assertEquals(rd32(x), RingSizes.roundDownToPowerOfTwo(x), "x=" + x);
        }
        assertEquals(rd32(Integer.MAX_VALUE), RingSizes.roundDownToPowerOfTwo(Integer.MAX_VALUE));
    }

    @Test
    void everyOrderAndSlotSizeGivesTheLargestPowerOfTwoThatFits() {
        for (int order = 0; order <= RingSizes.MAX_RING_PAGE_ORDER; order++) {
            final int bytes = RingSizes.ringBytes(order);
            assertEquals(4096 << order, bytes);
            assertEquals(order, RingSizes.pageOrderOf(bytes));
            for (int slot = 1; slot <= bytes - SringHeader.RING_OFFSET; slot += slot < 300 ? 1 : 97) {
                final int size = RingSizes.ringSizeForPageOrder(order, slot);
                assertEquals(rd32((bytes - 64L) / slot), size, "order=" + order + " slot=" + slot);
                assertEquals(1, Integer.bitCount(size));
                assertTrue(SringHeader.RING_OFFSET + (long) size * slot <= bytes);
                assertTrue(SringHeader.RING_OFFSET + 2L * size * slot > bytes);
            }
        }
    }

    @Test
    void blkifConstantsFollowFromTheSlotSize() {
        assertEquals(RingSizes.BLKIF_RING_SIZE_1_PAGE, RingSizes.ringSizeForPageOrder(0, BlkifSring.SLOT_LENGTH));
        assertEquals(RingSizes.BLKIF_RING_SIZE_16_PAGES, RingSizes.ringSizeForPageOrder(4, BlkifSring.SLOT_LENGTH));
        assertEquals(RingSizes.BLKIF_RING_SIZE_1_PAGE,
            RingSizes.ringSizeForPageOrder(0, BlkifSringX86_32.SLOT_LENGTH));
        assertEquals(BlkifRequest.LENGTH, BlkifSring.SLOT_LENGTH);
        assertEquals(RingSizes.NETIF_TX_RING_SIZE_16_PAGES, RingSizes.ringSizeForPageOrder(4, 12));
        assertEquals(RingSizes.NETIF_RX_RING_SIZE_1_PAGE, RingSizes.ringSizeForPageOrder(0, 8));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 5, 17, 32})
    void pageOrderOutOfRangeIsRejectedWithItsValue(final int order) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RingSizes.ringBytes(order));
        assertTrue(String.valueOf(e.getMessage()).contains("pageOrder=" + order), e::getMessage);
    }

    @Test
    void aSlotThatDoesNotFitIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RingSizes.ringSize(4096, 4033));
        assertThrows(IllegalArgumentException.class, () -> RingSizes.ringSize(4096, 0));
        assertEquals(1, RingSizes.ringSize(4096, 4032));
        assertThrows(IllegalArgumentException.class, () -> RingSizes.pageOrderOf(3 * 4096));
    }

    @Test
    void sharedRingInitSetsEveryHeaderByte() {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
        page.setMemory(0, 4096, (byte) 0xA5);
        final SringHeader header = new SringHeader().wrap(page, 0).sharedRingInit();
        assertEquals(0, header.reqProd());
        assertEquals(0, header.rspProd());
        assertEquals(1, header.reqEvent());
        assertEquals(1, header.rspEvent());
        for (int i = SringHeader.PVT_OFFSET; i < SringHeader.RING_OFFSET; i++) {
            assertEquals(0, page.getByte(i), "header byte " + i);
        }
        assertEquals((byte) 0xA5, page.getByte(SringHeader.RING_OFFSET), "slots are not the header's to clear");
        header.reqProd(-1).rspProd(7).reqEvent(8).rspEvent(9).pvtByte0(0xFF);
        assertEquals(-1, SringHeader.reqProd(page, 0));
        assertEquals(7, SringHeader.rspProd(page, 0));
        assertEquals(8, SringHeader.reqEvent(page, 0));
        assertEquals(9, SringHeader.rspEvent(page, 0));
        assertEquals(0xFF, header.pvtByte0());
        assertEquals(SringHeader.LENGTH, header.length());
    }
}
