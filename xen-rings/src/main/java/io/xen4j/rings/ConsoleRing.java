package io.xen4j.rings;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The two byte rings of a console page ({@code xen/io/console.h}): {@code out} carries what the
 * guest prints to the console backend, {@code in} carries keystrokes to the guest.
 *
 * <pre>{@code
 * typedef uint32_t XENCONS_RING_IDX;
 * #define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring)-1))
 * struct xencons_interface {
 *     char in[1024];
 *     char out[2048];
 *     XENCONS_RING_IDX in_cons, in_prod;
 *     XENCONS_RING_IDX out_cons, out_prod;
 * };
 * }</pre>
 *
 * <p>The frontend (the guest) produces {@code out} and consumes {@code in}; the backend
 * (xenconsoled or xen4j's console backend) does the opposite. Neither side trusts the other's
 * index. The layout constants are the ones this module needs; they are checked against the
 * installed header by the module's tests.
 */
public final class ConsoleRing {
    /** Offset of {@code in}. */
    public static final int IN_OFFSET = 0;
    /** Size of {@code in}. */
    public static final int IN_SIZE = 1024;
    /** Offset of {@code out}. */
    public static final int OUT_OFFSET = IN_OFFSET + IN_SIZE;
    /** Size of {@code out}. */
    public static final int OUT_SIZE = 2048;
    /** Offset of {@code in_cons}. */
    public static final int IN_CONS_OFFSET = OUT_OFFSET + OUT_SIZE;
    /** Offset of {@code in_prod}. */
    public static final int IN_PROD_OFFSET = IN_CONS_OFFSET + Integer.BYTES;
    /** Offset of {@code out_cons}. */
    public static final int OUT_CONS_OFFSET = IN_PROD_OFFSET + Integer.BYTES;
    /** Offset of {@code out_prod}. */
    public static final int OUT_PROD_OFFSET = OUT_CONS_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xencons_interface)}. */
    public static final int LENGTH = OUT_PROD_OFFSET + Integer.BYTES;

    private final ByteRingProducer producer;
    private final ByteRingConsumer consumer;

    private ConsoleRing(final ByteRingProducer producer, final ByteRingConsumer consumer) {
        this.producer = producer;
        this.consumer = consumer;
    }

    /**
     * The guest's side: writes {@code out}, reads {@code in}. Call {@link #attach()} before use.
     *
     * @param name name of the console in messages, for example {@code "console-7"}
     * @param page the console page, at least {@link #LENGTH} bytes, 4-byte aligned
     * @return the rings
     */
    public static ConsoleRing frontend(final String name, final AtomicBuffer page) {
        checkPage(name, page);
        return new ConsoleRing(
            new ByteRingProducer(name + ".out", page, OUT_OFFSET, OUT_SIZE, OUT_CONS_OFFSET, OUT_PROD_OFFSET),
            new ByteRingConsumer(name + ".in", page, IN_OFFSET, IN_SIZE, IN_CONS_OFFSET, IN_PROD_OFFSET));
    }

    /**
     * The console backend's side: reads {@code out}, writes {@code in}. Call {@link #attach()} before use.
     *
     * @param name name of the console in messages
     * @param page the console page, at least {@link #LENGTH} bytes, 4-byte aligned
     * @return the rings
     */
    public static ConsoleRing backend(final String name, final AtomicBuffer page) {
        checkPage(name, page);
        return new ConsoleRing(
            new ByteRingProducer(name + ".in", page, IN_OFFSET, IN_SIZE, IN_CONS_OFFSET, IN_PROD_OFFSET),
            new ByteRingConsumer(name + ".out", page, OUT_OFFSET, OUT_SIZE, OUT_CONS_OFFSET, OUT_PROD_OFFSET));
    }

    static void checkPage(final String name, final AtomicBuffer page) {
        if (page.capacity() < LENGTH || (page.addressOffset() & (Integer.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("ring=" + name + ": console page too small or not 4-byte aligned:"
                + " capacity=" + page.capacity() + " length=" + LENGTH + " addressOffset=" + page.addressOffset());
        }
    }

    /**
     * Attaches both rings to the indices in the page as they are (they need not start at 0).
     *
     * @return this
     */
    public ConsoleRing attach() {
        producer.attach();
        consumer.attach();
        return this;
    }

    /**
     * The ring this side writes: {@code out} for the frontend, {@code in} for the backend.
     *
     * @return the producer
     */
    public ByteRingProducer producer() {
        return producer;
    }

    /**
     * The ring this side reads: {@code in} for the frontend, {@code out} for the backend.
     *
     * @return the consumer
     */
    public ByteRingConsumer consumer() {
        return consumer;
    }

    /**
     * Whether the peer broke an index rule on either ring.
     *
     * @return true if either ring is broken
     */
    public boolean isBroken() {
        return producer.isBroken() || consumer.isBroken();
    }

    /**
     * Why a ring is broken.
     *
     * @return the first broken ring's reason, or the empty string
     */
    public String brokenReason() {
        return producer.isBroken() ? producer.brokenReason() : consumer.brokenReason();
    }
}
