package io.xen4j.rings;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The reading side of one byte ring of a console or xenstore page. Obtain one from
 * {@link ConsoleRing} or {@link XenstoreRing}.
 *
 * <p>{@link #read} copies as many bytes as are available (possibly fewer than asked, across the
 * wrap), each byte once, and {@link #releaseAndCheckNotify()} hands the space back to the
 * producer. The producer is not trusted: its index is read once per read and
 * {@code prod - cons > size} breaks the ring with a reason (SECURITY-RULES R1, R6). One thread at
 * a time may use a consumer. Data-path methods allocate nothing.
 */
public final class ByteRingConsumer {
    private final String name;
    private final AtomicBuffer page;
    private final int dataOffset;
    private final int size;
    private final int consOffset;
    private final int prodOffset;
    private boolean attached;
    /** Consumer index including bytes read but not released. */
    private int consPvt;
    /** The consumer index last published. */
    private int consPublished;
    private @Nullable RingViolation violation;
    private String brokenReason = "";

    ByteRingConsumer(final String name, final AtomicBuffer page, final int dataOffset, final int size,
        final int consOffset, final int prodOffset) {
        this.name = name;
        this.page = page;
        this.dataOffset = dataOffset;
        this.size = size;
        this.consOffset = consOffset;
        this.prodOffset = prodOffset;
    }

    /**
     * Takes the indices in the shared page as they are, validates them and clears the broken state.
     *
     * @return this
     */
    public ByteRingConsumer attach() {
        final int cons = page.getIntAcquire(consOffset);
        attached = true;
        violation = null;
        brokenReason = "";
        consPvt = cons;
        consPublished = cons;
        available();
        return this;
    }

    /** Stops the consumer until the next {@link #attach()}. */
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
     * The consumer index including bytes read but not yet released.
     *
     * @return the free-running index
     */
    public int consumer() {
        return consPvt;
    }

    /**
     * Reads the producer index once (acquire), validates it and returns how many bytes may be read.
     *
     * @return 0 to {@link #size()}; 0 when broken or detached
     */
    public int available() {
        if (!attached || violation != null) {
            return 0;
        }
        // prod = intf->prod; virt_rmb(): the acquire load orders the data reads after it.
        final int prod = page.getIntAcquire(prodOffset);
        final int available = prod - consPvt;
        if (SharedRing.above(available, size)) {
            if (violation == null) {
                violation = RingViolation.BYTE_RING_INDEX_OVERFLOW;
                brokenReason = "ring=" + name + " rule=" + violation + " (SECURITY-RULES R6) prod="
                    + SharedRing.u32(prod) + " cons=" + SharedRing.u32(consPvt) + " size=" + size
                    + ": the producer claims more bytes than the ring holds; stop using the ring";
            }
            return 0;
        }
        return available;
    }

    /**
     * Copies up to {@code length} available bytes out of the ring, wrapping at its end.
     *
     * @param destination where the bytes go
     * @param offset      offset of the first byte in {@code destination}
     * @param length      most bytes to read
     * @return bytes read, 0 to {@code length}; 0 when none, broken or detached
     */
    public int read(final MutableDirectBuffer destination, final int offset, final int length) {
        final int count = Math.min(length, available());
        if (count <= 0) {
            return 0;
        }
        final int start = consPvt & (size - 1);
        final int first = Math.min(count, size - start);
        page.getBytes(dataOffset + start, destination, offset, first);
        if (count > first) {
            page.getBytes(dataOffset, destination, offset + first, count - first);
        }
        consPvt += count;
        return count;
    }

    /**
     * Publishes the consumer index, giving the bytes read back to the producer. Every release that
     * frees space owes the producer an event: it may be waiting for room.
     *
     * @return true if space was released and the caller must notify the peer
     */
    public boolean releaseAndCheckNotify() {
        if (!attached || violation != null || consPvt == consPublished) {
            return false;
        }
        // virt_mb(); cons = new: the release store orders the data reads before the index, so the
        // producer cannot overwrite bytes not yet read.
        page.putIntRelease(consOffset, consPvt);
        consPublished = consPvt;
        return true;
    }

    /**
     * Whether the producer broke the index rule.
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
}
