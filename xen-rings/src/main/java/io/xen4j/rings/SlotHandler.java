package io.xen4j.rings;

import org.agrona.DirectBuffer;

/**
 * Receives the slots a ring consumes, one private copy at a time.
 *
 * <p>The copy is taken once from the shared page ({@code RING_COPY_REQUEST} /
 * {@code RING_COPY_RESPONSE}); the peer cannot change it while the handler validates and uses it.
 * The buffer is reused for the next slot: a handler that keeps data copies it out.
 */
@FunctionalInterface
public interface SlotHandler {
    /**
     * One consumed slot.
     *
     * @param copy      private copy of the request or response, at offset 0; its capacity is
     *                  {@code sizeof} the type
     * @param ringIndex free-running index of the slot (the request or response index)
     */
    void onSlot(DirectBuffer copy, int ringIndex);
}
