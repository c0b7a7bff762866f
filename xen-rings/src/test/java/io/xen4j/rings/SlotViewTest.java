package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xen4j.abi.ring.SringHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SlotView}: the claimed slot as a buffer, over native memory and forwarded to other buffers. */
final class SlotViewTest {
    /** blkif on x86_64: 112-byte requests, 16-byte responses, 112-byte slots, 32 slots on a page. */
    private static final int REQUEST = 112;
    private static final int RESPONSE = 16;

    /** A plain buffer's subclass: the ring treats it as a checked buffer and forwards to it. */
    private static final class CheckedBuffer extends UnsafeBuffer {
        CheckedBuffer(final ByteBuffer memory) {
            super(memory);
        }
    }

    private static SlotView claimed(final @Nullable SlotView slot) {
        assertNotNull(slot, "a slot was claimed");
        return Objects.requireNonNull(slot);
    }

    private static UnsafeBuffer ring(final boolean plain) {
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(4096, 4096);
        return plain ? new UnsafeBuffer(memory) : new CheckedBuffer(memory);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aClaimedRequestSlotIsZeroedAndItsStoresLandInTheSlot(final boolean plain) {
        final UnsafeBuffer ring = ring(plain);
        final FrontRing front = new FrontRing("t", REQUEST, RESPONSE).init(ring);
        ring.setMemory(SringHeader.RING_OFFSET, 4096 - SringHeader.RING_OFFSET, (byte) 0x5A);
        for (int n = 0; n < 3; n++) {
            final int base = front.slotOffset(front.requestProducer());
            final SlotView slot = claimed(front.claimRequestSlot());
            assertEquals(REQUEST, slot.length());
            for (int i = 0; i < REQUEST; i++) {
                assertEquals(0, ring.getByte(base + i), "claim " + n + " byte " + i + " zeroed (R7)");
                assertEquals(0, slot.getByte(i));
            }
            assertEquals((byte) 0x5A, ring.getByte(base + REQUEST), "byte after the request untouched");
            slot.putByte(0, (byte) 1);
            slot.putShort(2, (short) 0x0203);
            slot.putInt(4, 0x04050607);
            slot.putLong(8, 0x08090A0B0C0D0E0FL);
            slot.putLong(REQUEST - 8, -2L);
            slot.putShort(16, (short) 0x1122, ByteOrder.BIG_ENDIAN);
            slot.putInt(20, 0x11223344, ByteOrder.BIG_ENDIAN);
            slot.putLong(24, 0x1122334455667788L, ByteOrder.BIG_ENDIAN);
            assertEquals(1, ring.getByte(base));
            assertEquals((short) 0x0203, ring.getShort(base + 2, ByteOrder.LITTLE_ENDIAN));
            assertEquals(0x04050607, ring.getInt(base + 4, ByteOrder.LITTLE_ENDIAN));
            assertEquals(0x08090A0B0C0D0E0FL, ring.getLong(base + 8, ByteOrder.LITTLE_ENDIAN));
            assertEquals(-2L, ring.getLong(base + REQUEST - 8));
            assertEquals((short) 0x1122, ring.getShort(base + 16, ByteOrder.BIG_ENDIAN));
            assertEquals(0x11223344, ring.getInt(base + 20, ByteOrder.BIG_ENDIAN));
            assertEquals(0x1122334455667788L, ring.getLong(base + 24, ByteOrder.BIG_ENDIAN));
            assertEquals(0x1122334455667788L, slot.getLong(24, ByteOrder.BIG_ENDIAN));
            assertEquals(0x11223344, slot.getInt(20, ByteOrder.BIG_ENDIAN));
            assertEquals((short) 0x1122, slot.getShort(16, ByteOrder.BIG_ENDIAN));
            assertEquals(0x04050607, slot.getInt(4));
            assertEquals((short) 0x0203, slot.getShort(2));
            assertEquals((byte) 0x5A, ring.getByte(base + REQUEST), "byte after the request untouched");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anAccessOutsideTheSlotThrowsAndWritesNothing(final boolean plain) {
        final UnsafeBuffer ring = ring(plain);
        final FrontRing front = new FrontRing("t", REQUEST, RESPONSE).init(ring);
        final SlotView slot = claimed(front.claimRequestSlot());
        final byte[] before = new byte[4096];
        ring.getBytes(0, before);
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putByte(-1, (byte) 1));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putByte(REQUEST, (byte) 1));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putShort(REQUEST - 1, (short) 1));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putInt(REQUEST - 3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putLong(REQUEST - 7, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putLong(Integer.MAX_VALUE - 2, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putLong(Integer.MIN_VALUE, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.getLong(REQUEST - 7));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.getByte(-1));
        final byte[] after = new byte[4096];
        ring.getBytes(0, after);
        for (int i = 0; i < 4096; i++) {
            assertEquals(before[i], after[i], "byte " + i);
        }
    }

    @Test
    void overAForwardingRingTheInheritedMethodsSeeAnEmptyBuffer() {
        final FrontRing front = new FrontRing("t", REQUEST, RESPONSE).init(ring(false));
        final SlotView slot = claimed(front.claimRequestSlot());
        assertEquals(0, slot.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> slot.setMemory(0, 8, (byte) 1));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putBytes(0, new byte[8]));
    }

    @Test
    void overANativeRingTheInheritedMethodsWorkWithinTheSlot() {
        final UnsafeBuffer ring = ring(true);
        final FrontRing front = new FrontRing("t", REQUEST, RESPONSE).init(ring);
        front.claimRequest();
        final int base = front.slotOffset(front.requestProducer());
        final SlotView slot = claimed(front.claimRequestSlot());
        assertEquals(REQUEST, slot.capacity());
        slot.putBytes(REQUEST - 4, new byte[] {1, 2, 3, 4});
        assertEquals(0x04030201, ring.getInt(base + REQUEST - 4, ByteOrder.LITTLE_ENDIAN));
        assertThrows(IndexOutOfBoundsException.class, () -> slot.putBytes(REQUEST - 3, new byte[4]));
    }

    @Test
    void theViewCannotBeRewrapped() {
        final FrontRing front = new FrontRing("t", REQUEST, RESPONSE).init(ring(true));
        final SlotView slot = claimed(front.claimRequestSlot());
        assertThrows(UnsupportedOperationException.class, () -> slot.wrap(new byte[16]));
        assertThrows(UnsupportedOperationException.class, () -> slot.wrap(new byte[16], 0, 8));
        assertThrows(UnsupportedOperationException.class, () -> slot.wrap(ByteBuffer.allocateDirect(16)));
        assertThrows(UnsupportedOperationException.class, () -> slot.wrap(ByteBuffer.allocateDirect(16), 0, 8));
        assertThrows(UnsupportedOperationException.class, () -> slot.wrap(new UnsafeBuffer(new byte[16])));
        assertThrows(UnsupportedOperationException.class, () -> slot.wrap(new UnsafeBuffer(new byte[16]), 0, 8));
        assertThrows(UnsupportedOperationException.class, () -> slot.wrap(slot.addressOffset(), 8));
    }

    @Test
    void aFullRingClaimsNoRequestSlot() {
        final FrontRing front = new FrontRing("t", REQUEST, RESPONSE).init(ring(true));
        @Nullable SlotView last = null;
        for (int i = 0; i < front.size(); i++) {
            final SlotView slot = claimed(front.claimRequestSlot());
            if (last != null) {
                assertSame(last, slot, "one view per ring");
            }
            last = slot;
        }
        assertNull(front.claimRequestSlot());
        assertEquals(front.size(), front.requestProducer(), "a refused claim does not advance req_prod_pvt");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aResponseSlotAnswersOnlyAConsumedRequestAndIsZeroed(final boolean plain) {
        final UnsafeBuffer ring = ring(plain);
        final FrontRing front = new FrontRing("f", REQUEST, RESPONSE).init(ring);
        final BackRing back = new BackRing("b", REQUEST, RESPONSE).attach(ring, 0);
        assertNull(back.claimResponseSlot(), "no request consumed");
        final SlotView request = claimed(front.claimRequestSlot());
        for (int i = 0; i < REQUEST; i++) {
            request.putByte(i, (byte) 0x77);
        }
        request.putLong(8, 42L);
        front.pushRequests();
        final long[] id = new long[1];
        assertEquals(1, back.pollRequests((copy, index) -> id[0] = copy.getLong(8), Integer.MAX_VALUE));
        assertEquals(42L, id[0]);
        final int base = back.slotOffset(0);
        final SlotView response = claimed(back.claimResponseSlot());
        assertEquals(RESPONSE, response.length());
        for (int i = 0; i < RESPONSE; i++) {
            assertEquals(0, ring.getByte(base + i), "response byte " + i + " zeroed (R7)");
        }
        assertEquals((byte) 0x77, ring.getByte(base + RESPONSE), "the rest of the slot keeps the request");
        response.putLong(0, 42L);
        response.putShort(10, (short) -1);
        assertThrows(IndexOutOfBoundsException.class, () -> response.putLong(RESPONSE - 7, 1L));
        back.pushResponses();
        final long[] got = new long[2];
        assertEquals(1, front.pollResponses((copy, index) -> {
            got[0] = copy.getLong(0);
            got[1] = copy.getShort(10);
        }, Integer.MAX_VALUE));
        assertEquals(42L, got[0]);
        assertEquals(-1L, got[1]);
        assertNull(back.claimResponseSlot(), "every consumed request has its response");
    }
}
