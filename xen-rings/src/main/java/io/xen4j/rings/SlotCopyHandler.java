package io.xen4j.rings;

/**
 * Receives the slots a ring consumes when the consumer copies out only what it uses: the ring
 * copies a fixed prefix (a header) before the call, and the handler copies more with
 * {@link SlotCopy#copyUpTo(int)} for a length it reads from that private prefix. Each shared byte
 * is still read at most once (SECURITY-RULES R2, see {@link SlotCopy}).
 *
 * <p>A handler must not poll the same ring again: the nested poll would reuse the ring's one
 * private copy.
 */
@FunctionalInterface
public interface SlotCopyHandler {
    /**
     * One consumed slot. The copy may grow only during this call, and only until the ring claims
     * or produces in the same slot.
     *
     * @param slot the private copy so far; the same object for every slot of the ring
     */
    void onSlot(SlotCopy slot);
}
