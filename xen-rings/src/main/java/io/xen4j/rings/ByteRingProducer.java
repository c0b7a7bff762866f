package io.xen4j.rings;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The writing side of one byte ring of a console or xenstore page: a power-of-two circular buffer
 * with a free-running consumer and producer index, as {@code struct xencons_interface} and
 * {@code struct xenstore_domain_interface} lay them out. Obtain one from {@link ConsoleRing} or
 * {@link XenstoreRing}.
 *
 * <p>{@link #write} copies as many bytes as fit (possibly fewer than asked, across the wrap) and
 * {@link #pushAndCheckNotify()} publishes them. The consumer is not trusted: its index is read
 * once per write and must stay between the last one seen and the last producer index published;
 * anything else breaks the ring with a reason ({@code prod - cons <= size}, SECURITY-RULES R6).
 * One thread at a time may use a producer. Data-path methods allocate nothing.
 */
public final class ByteRingProducer {
    private final String name;
    private final AtomicBuffer page;
    private final int dataOffset;
    private final int size;
    private final int consOffset;
    private final int prodOffset;
    private boolean attached;
    /** Producer index including bytes written but not pushed. */
    private int prodPvt;
    /** The producer index last published. */
    private int prodPublished;
    /** The last validated consumer index. */
    private int consSeen;
    private @Nullable RingViolation violation;
    private String brokenReason = "";

    ByteRingProducer(final String name, final AtomicBuffer page, final int dataOffset, final int size,
        final int consOffset, final int prodOffset) {
        this.name = name;
        this.page = page;
        this.dataOffset = dataOffset;
        this.size = size;
        this.consOffset = consOffset;
        this.prodOffset = prodOffset;
    }

    /**
     * Takes the indices in the shared page as they are (the peer may have used the ring before:
     * indices need not start at 0), validates them and clears the broken state.
     *
     * @return this
     */
    public ByteRingProducer attach() {
        final int prod = page.getIntAcquire(prodOffset);
        final int cons = page.getIntAcquire(consOffset);
        attached = true;
        violation = null;
        brokenReason = "";
        prodPvt = prod;
        prodPublished = prod;
        consSeen = cons;
        if (SharedRing.above(prod - cons, size)) {
            fail(prod, cons);
        }
        return this;
    }

    /** Stops the producer until the next {@link #attach()} (a xenstore reconnection or error). */
    void detach() {
        attached = false;
    }

    /**
     * Size of the ring.
     *
     * @return bytes, a power of two
     */
    public int size() {
        return size;
    }

    /**
     * The producer index including bytes written but not yet pushed.
     *
     * @return the free-running index
     */
    public int producer() {
        return prodPvt;
    }

    /**
     * Bytes written and not yet pushed.
     *
     * @return 0 to {@link #size()}
     */
    public int pendingBytes() {
        return prodPvt - prodPublished;
    }

    /**
     * Reads the consumer index once, validates it, and returns how many bytes {@link #write} may
     * copy now.
     *
     * @return 0 to {@link #size()}; 0 when broken or detached
     */
    public int freeBytes() {
        if (!attached || violation != null) {
            return 0;
        }
        // Acquire: the consumer's reads of the bytes it released happen before our overwrite.
        final int cons = page.getIntAcquire(consOffset);
        // The consumer index may only move forward, up to what was published.
        if (SharedRing.above(cons - consSeen, prodPublished - consSeen)) {
            fail(prodPublished, cons);
            return 0;
        }
        consSeen = cons;
        return size - (prodPvt - cons);
    }

    /**
     * Copies up to {@code length} bytes into the ring, wrapping at its end. The bytes are not visible
     * to the consumer until {@link #pushAndCheckNotify()}.
     *
     * @param source    bytes to write
     * @param offset    offset of the first byte in {@code source}
     * @param length    bytes to write
     * @return bytes written, 0 to {@code length}: fewer when the ring is full, 0 when broken
     */
    public int write(final DirectBuffer source, final int offset, final int length) {
        final int count = Math.min(length, freeBytes());
        if (count <= 0) {
            return 0;
        }
        final int start = prodPvt & (size - 1);
        final int first = Math.min(count, size - start);
        page.putBytes(dataOffset + start, source, offset, first);
        if (count > first) {
            page.putBytes(dataOffset, source, offset + first, count - first);
        }
        prodPvt += count;
        return count;
    }

    /**
     * Publishes the bytes written since the last push. The console and xenstore rings have no event
     * index, and their peers (xenconsoled, xenstored) do not look at the ring again after updating
     * their own index, so every push that publishes bytes owes the peer an event.
     *
     * @return true if bytes were published and the caller must notify the peer
     */
    public boolean pushAndCheckNotify() {
        if (!attached || violation != null || prodPvt == prodPublished) {
            return false;
        }
        // virt_wmb(); prod = new: the release store orders the data writes before the index.
        page.putIntRelease(prodOffset, prodPvt);
        prodPublished = prodPvt;
        return true;
    }

    /**
     * Whether the consumer broke the index rule.
     *
     * @return true once a violation was seen
     */
    public boolean isBroken() {
        return violation != null;
    }

    /**
     * The violation, if any.
     *
     * @return {@link RingViolation#BYTE_RING_INDEX_OVERFLOW} or null
     */
    public @Nullable RingViolation violation() {
        return violation;
    }

    /**
     * Why the ring is broken.
     *
     * @return the message, or the empty string
     */
    public String brokenReason() {
        return brokenReason;
    }

    private void fail(final int prod, final int cons) {
        if (violation == null) {
            violation = RingViolation.BYTE_RING_INDEX_OVERFLOW;
            brokenReason = "ring=" + name + " rule=" + violation + " (SECURITY-RULES R6) prod=" + SharedRing.u32(prod)
                + " cons=" + SharedRing.u32(cons) + " lastCons=" + SharedRing.u32(consSeen) + " size=" + size
                + ": the consumer index is outside [last seen, published producer]; stop using the ring";
        }
    }
}
