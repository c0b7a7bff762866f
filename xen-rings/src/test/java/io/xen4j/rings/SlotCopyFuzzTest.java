package io.xen4j.rings;

import static io.xen4j.rings.FuzzSupport.above;
import static io.xen4j.rings.FuzzSupport.check;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.abi.ring.RingSizes;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.rings.SlotCopyOnceTest.CountingBuffer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the partial slot copy ({@link SlotCopy}) against a hostile frontend: arbitrary
 * {@code req_prod}, start indices and slot contents, slots rewritten by the peer while the handler
 * copies, lengths taken from the private copy or arbitrary, claims and re-attaches from inside the
 * handler. Every copied byte must equal the slot's byte at the moment it was copied and never
 * change afterwards; the copy never exceeds {@code sizeof} the request; no shared byte is read twice
 * in a poll (on a buffer that counts reads) and none outside the requested part of a slot; nothing
 * outside the ring is read or written and nothing throws.
 */
final class SlotCopyFuzzTest {
    private static final int[] LENGTHS = {4, 8, 16, 24, 64, 112, 120, 300};

    @FuzzTest(maxDuration = "60s")
    void hostileSlotsCopiedInParts(final FuzzedDataProvider data) {
        final int order = data.consumeInt(0, 2);
        final int request = data.pickValue(LENGTHS);
        final int response = data.pickValue(LENGTHS);
        final int slotLength = Math.max(request, response) + (data.consumeBoolean() ? 0 : 8);
        final int bytes = RingSizes.ringBytes(order);
        final boolean counting = data.consumeBoolean();
        final @Nullable FuzzSupport memory;
        final @Nullable CountingBuffer countingRing;
        final AtomicBuffer ring;
        if (counting) {
            final CountingBuffer area = new CountingBuffer(BufferUtil.allocateDirectAligned(bytes, 4096));
            memory = null;
            countingRing = area;
            ring = area;
        } else {
            final FuzzSupport guarded = new FuzzSupport(bytes, data);
            memory = guarded;
            countingRing = null;
            ring = guarded.area;
        }
        // Reads through this view are the test's own and are not counted.
        final UnsafeBuffer peer = new UnsafeBuffer(ring.addressOffset(), bytes);
        final BackRing back = new BackRing("fuzz.partial", request, response, slotLength);
        final int start = data.consumeBoolean() ? 0 : FuzzSupport.hostileIndex(data, 0);
        back.attach(ring, start);
        final int size = back.size();
        final byte[] mirror = new byte[request];
        final int[] handled = {0};
        final int[] firstIndex = {0};
        final int[] copiedUpTo = new int[size];
        final SlotCopyHandler handler = slot -> {
            check(slot.ringIndex() == firstIndex[0] + handled[0], "handler index");
            check(slot.maxLength() == request, "maxLength");
            final int slotOffset = back.slotOffset(slot.ringIndex());
            // The prefix: equal to the slot as it is now (nothing rewrote it since the copy).
            int length = slot.length();
            check(length >= 0 && length <= request && slot.buffer().capacity() == length, "prefix length " + length);
            for (int b = 0; b < length; b++) {
                mirror[b] = peer.getByte(slotOffset + b);
                check(slot.buffer().getByte(b) == mirror[b], "prefix byte " + b);
            }
            boolean claimed = false;
            final int steps = data.consumeInt(0, 4);
            for (int k = 0; k < steps && data.remainingBytes() > 0; k++) {
                switch (data.consumeInt(0, 3)) {
                    // The peer rewrites the slot while the handler works on its copy.
                    case 0 -> peer.putBytes(slotOffset, data.consumeBytes(slotLength));
                    // A claim from inside the handler: of this slot only if it is the next to answer.
                    case 1 -> {
                        final int claim = back.claimResponse();
                        claimed |= claim == slotOffset;
                    }
                    default -> {
                        final int ask;
                        if (length > 0 && data.consumeBoolean()) {
                            // A length read from the private copy, as blkback reads nr_segments.
                            ask = (slot.buffer().getByte(data.consumeInt(0, length - 1)) & 0xFF)
                                * data.pickValue(new int[] {1, 8, 16, 256});
                        } else {
                            ask = data.consumeInt();
                        }
                        final int got = slot.copyUpTo(ask);
                        final int expected = claimed ? length : Math.max(length, Math.min(ask, request));
                        check(got == expected && slot.length() == got && slot.buffer().capacity() == got,
                            "copyUpTo(" + ask + ") = " + got + " expected " + expected);
                        for (int b = 0; b < length; b++) {
                            check(slot.buffer().getByte(b) == mirror[b], "an already copied byte changed: " + b);
                        }
                        for (int b = length; b < got; b++) {
                            mirror[b] = peer.getByte(slotOffset + b);
                            check(slot.buffer().getByte(b) == mirror[b], "newly copied byte " + b);
                        }
                        length = got;
                    }
                }
                check(slot.isOpen() == !claimed, "open after a claim of its own slot: " + claimed);
            }
            copiedUpTo[slot.ringIndex() & (size - 1)] = length;
            handled[0]++;
        };
        for (int step = 0; step < 100 && data.remainingBytes() > 0; step++) {
            switch (data.consumeInt(0, 4)) {
                case 0 -> peer.putInt(SringHeader.REQ_PROD_OFFSET, FuzzSupport.hostileIndex(data, back.requestConsumer()));
                case 1 -> peer.putBytes(back.slotOffset(data.consumeInt()), data.consumeBytes(slotLength));
                case 2 -> {
                    final int limit = data.consumeInt(0, size + 1);
                    final int prefix = data.consumeInt(-2, request + 10);
                    final int consBefore = back.requestConsumer();
                    final boolean brokenBefore = back.isBroken();
                    if (countingRing != null) {
                        countingRing.reset();
                    }
                    java.util.Arrays.fill(copiedUpTo, -1);
                    handled[0] = 0;
                    firstIndex[0] = consBefore;
                    final int got = back.pollRequests(handler, prefix, limit);
                    check(got == handled[0] && got <= limit, "poll returned " + got + " handled " + handled[0]);
                    check(back.requestConsumer() == consBefore + got, "req_cons");
                    check(!brokenBefore || got == 0, "a broken ring handed out slots");
                    if (countingRing != null) {
                        for (int s = 0; s < size; s++) {
                            final int offset = SringHeader.RING_OFFSET + s * slotLength;
                            for (int b = 0; b < slotLength; b++) {
                                final int reads = countingRing.reads[offset + b];
                                check(reads == (b < copiedUpTo[s] ? 1 : 0),
                                    "slot " + s + " byte " + b + " read " + reads + " times, copied " + copiedUpTo[s]);
                            }
                        }
                        check(countingRing.reads[SringHeader.REQ_PROD_OFFSET] <= 1, "req_prod read twice in a poll");
                    }
                }
                case 3 -> {
                    final int n = data.consumeInt(0, size);
                    for (int i = 0; i < n; i++) {
                        back.claimResponse();
                    }
                    back.pushResponses();
                }
                default -> back.attach(ring, FuzzSupport.hostileIndex(data, back.requestConsumer()));
            }
            check(!above(back.requestConsumer() - back.responseProducer(), size), "consumed past RING_REQUEST_CONS_OVERFLOW");
            if (memory != null) {
                memory.assertGuardsIntact();
            }
        }
    }
}
