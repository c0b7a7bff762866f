package io.xen4j.rings;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The xenstore page ({@code xen/io/xs_wire.h}, {@code docs/misc/xenstore-ring.txt}): two 1024-byte
 * rings, {@code req} from the guest to xenstored and {@code rsp} back, and the fields of the
 * reconnection protocol.
 *
 * <pre>{@code
 * #define XENSTORE_RING_SIZE 1024
 * typedef uint32_t XENSTORE_RING_IDX;
 * struct xenstore_domain_interface {
 *     char req[XENSTORE_RING_SIZE]; // Requests to xenstore daemon.
 *     char rsp[XENSTORE_RING_SIZE]; // Replies and async watch events.
 *     XENSTORE_RING_IDX req_cons, req_prod;
 *     XENSTORE_RING_IDX rsp_cons, rsp_prod;
 *     uint32_t server_features; // Bitmap of features supported by the server
 *     uint32_t connection;
 *     uint32_t error;
 * };
 * }</pre>
 *
 * <p>Reconnection: the server advertises {@link #XENSTORE_SERVER_FEATURE_RECONNECTION} before it
 * uses the rings. A client asks for a reset with {@link #requestReconnect()} (connection = 1) and
 * notifies; from then on it ignores everything but {@code connection}, polling
 * {@link #pollReconnected()}. The server sees {@link #reconnectRequested()}, drops its partial
 * packets, watches and transactions, and calls {@link #completeReconnect()}, which empties both
 * rings and sets connection = 0; it then notifies. With {@link #XENSTORE_SERVER_FEATURE_ERROR} the
 * server reports a fatal problem in {@code error} ({@link #reportError}) and stops.
 *
 * <p>The layout constants are the ones this module needs; they are checked against the installed
 * header by the module's tests. Nothing here notifies: methods return whether an event is owed.
 */
public final class XenstoreRing {
    /** {@code XENSTORE_RING_SIZE}: size of each ring. */
    public static final int XENSTORE_RING_SIZE = 1024;
    /** Offset of {@code req}. */
    public static final int REQ_OFFSET = 0;
    /** Offset of {@code rsp}. */
    public static final int RSP_OFFSET = REQ_OFFSET + XENSTORE_RING_SIZE;
    /** Offset of {@code req_cons}. */
    public static final int REQ_CONS_OFFSET = RSP_OFFSET + XENSTORE_RING_SIZE;
    /** Offset of {@code req_prod}. */
    public static final int REQ_PROD_OFFSET = REQ_CONS_OFFSET + Integer.BYTES;
    /** Offset of {@code rsp_cons}. */
    public static final int RSP_CONS_OFFSET = REQ_PROD_OFFSET + Integer.BYTES;
    /** Offset of {@code rsp_prod}. */
    public static final int RSP_PROD_OFFSET = RSP_CONS_OFFSET + Integer.BYTES;
    /** Offset of {@code server_features}. */
    public static final int SERVER_FEATURES_OFFSET = RSP_PROD_OFFSET + Integer.BYTES;
    /** Offset of {@code connection}. */
    public static final int CONNECTION_OFFSET = SERVER_FEATURES_OFFSET + Integer.BYTES;
    /** Offset of {@code error}. */
    public static final int ERROR_OFFSET = CONNECTION_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xenstore_domain_interface)}. */
    public static final int LENGTH = ERROR_OFFSET + Integer.BYTES;

    /** {@code XENSTORE_SERVER_FEATURE_RECONNECTION}: the server resets the ring on request. */
    public static final int XENSTORE_SERVER_FEATURE_RECONNECTION = 1;
    /** {@code XENSTORE_SERVER_FEATURE_ERROR}: the server reports fatal errors in {@code error}. */
    public static final int XENSTORE_SERVER_FEATURE_ERROR = 2;
    /** {@code XENSTORE_CONNECTED}: the steady state. */
    public static final int XENSTORE_CONNECTED = 0;
    /** {@code XENSTORE_RECONNECT}: a reconnection is in progress. */
    public static final int XENSTORE_RECONNECT = 1;
    /** {@code XENSTORE_ERROR_NONE}. */
    public static final int XENSTORE_ERROR_NONE = 0;
    /** {@code XENSTORE_ERROR_COMM}: communication problem (event channel not functional). */
    public static final int XENSTORE_ERROR_COMM = 1;
    /** {@code XENSTORE_ERROR_RINGIDX}: inconsistent producer or consumer index. */
    public static final int XENSTORE_ERROR_RINGIDX = 2;
    /** {@code XENSTORE_ERROR_PROTO}: protocol violation (payload too long). */
    public static final int XENSTORE_ERROR_PROTO = 3;

    private final String name;
    private final AtomicBuffer page;
    private final boolean server;
    private final ByteRingProducer producer;
    private final ByteRingConsumer consumer;
    private boolean reconnecting;

    private XenstoreRing(final String name, final AtomicBuffer page, final boolean server,
        final ByteRingProducer producer, final ByteRingConsumer consumer) {
        this.name = name;
        this.page = page;
        this.server = server;
        this.producer = producer;
        this.consumer = consumer;
    }

    /**
     * The guest's side: writes {@code req}, reads {@code rsp}. Call {@link #attach()} before use.
     *
     * @param name name in messages, for example {@code "xenstore-dom7"}
     * @param page the xenstore page, at least {@link #LENGTH} bytes, 4-byte aligned
     * @return the rings
     */
    public static XenstoreRing client(final String name, final AtomicBuffer page) {
        checkPage(name, page);
        return new XenstoreRing(name, page, false,
            new ByteRingProducer(name + ".req", page, REQ_OFFSET, XENSTORE_RING_SIZE, REQ_CONS_OFFSET, REQ_PROD_OFFSET),
            new ByteRingConsumer(name + ".rsp", page, RSP_OFFSET, XENSTORE_RING_SIZE, RSP_CONS_OFFSET, RSP_PROD_OFFSET));
    }

    /**
     * The xenstored side: reads {@code req}, writes {@code rsp}. Call {@link #attach()} before use.
     *
     * @param name name in messages
     * @param page the xenstore page, at least {@link #LENGTH} bytes, 4-byte aligned
     * @return the rings
     */
    public static XenstoreRing server(final String name, final AtomicBuffer page) {
        checkPage(name, page);
        return new XenstoreRing(name, page, true,
            new ByteRingProducer(name + ".rsp", page, RSP_OFFSET, XENSTORE_RING_SIZE, RSP_CONS_OFFSET, RSP_PROD_OFFSET),
            new ByteRingConsumer(name + ".req", page, REQ_OFFSET, XENSTORE_RING_SIZE, REQ_CONS_OFFSET, REQ_PROD_OFFSET));
    }

    private static void checkPage(final String name, final AtomicBuffer page) {
        if (page.capacity() < LENGTH || (page.addressOffset() & (Integer.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("ring=" + name + ": xenstore page too small or not 4-byte aligned:"
                + " capacity=" + page.capacity() + " length=" + LENGTH + " addressOffset=" + page.addressOffset());
        }
    }

    /**
     * Attaches both rings to the indices in the page as they are (the guest must not assume they
     * start at 0). A client that finds a reconnection already in progress (set by someone else)
     * does not attach: it waits, as the protocol says, and {@link #pollReconnected()} attaches.
     *
     * @return this
     */
    public XenstoreRing attach() {
        if (!server && reconnectionAdvertised() && page.getIntAcquire(CONNECTION_OFFSET) == XENSTORE_RECONNECT) {
            reconnecting = true;
            producer.detach();
            consumer.detach();
            return this;
        }
        reconnecting = false;
        producer.attach();
        consumer.attach();
        return this;
    }

    /**
     * The ring this side writes: {@code req} for the client, {@code rsp} for the server.
     *
     * @return the producer
     */
    public ByteRingProducer producer() {
        return producer;
    }

    /**
     * The ring this side reads: {@code rsp} for the client, {@code req} for the server.
     *
     * @return the consumer
     */
    public ByteRingConsumer consumer() {
        return consumer;
    }

    /**
     * Whether the peer broke an index rule on either ring. A server should then
     * {@link #reportError report} {@link #XENSTORE_ERROR_RINGIDX}.
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

    /**
     * {@code server_features}, read once.
     *
     * @return the bitmap; unknown bits are to be ignored
     */
    public int serverFeatures() {
        return page.getIntAcquire(SERVER_FEATURES_OFFSET);
    }

    private boolean reconnectionAdvertised() {
        return (serverFeatures() & XENSTORE_SERVER_FEATURE_RECONNECTION) != 0;
    }

    /**
     * {@code error}, read once: non-zero when the server stopped the connection. Only meaningful
     * if the server advertises {@link #XENSTORE_SERVER_FEATURE_ERROR}.
     *
     * @return an {@code XENSTORE_ERROR_*} value, or a value newer than this code knows
     */
    public int error() {
        return page.getIntAcquire(ERROR_OFFSET);
    }

    /**
     * Whether this client is waiting for a reconnection to complete.
     *
     * @return true between {@link #requestReconnect()} (or an attach that found one in progress)
     *     and {@link #pollReconnected()} returning true
     */
    public boolean isReconnecting() {
        return reconnecting;
    }

    /**
     * Client: asks the server to reset the ring (connection = {@link #XENSTORE_RECONNECT}) and
     * stops both rings until the reset is done. Only possible if the server advertises
     * {@link #XENSTORE_SERVER_FEATURE_RECONNECTION}.
     *
     * @return true if the request was made and the caller must notify the server; false if the
     *     server does not support reconnection
     * @throws IllegalStateException on the server side
     */
    public boolean requestReconnect() {
        requireClient("requestReconnect");
        if (!reconnectionAdvertised()) {
            return false;
        }
        reconnecting = true;
        producer.detach();
        consumer.detach();
        // Release: whatever the client wrote before is ordered before the request.
        page.putIntRelease(CONNECTION_OFFSET, XENSTORE_RECONNECT);
        return true;
    }

    /**
     * Client: checks whether the server completed the reconnection and, if so, attaches both rings
     * to the reset indices.
     *
     * @return true if connected (the rings may be used); false while the reset is in progress
     * @throws IllegalStateException on the server side
     */
    public boolean pollReconnected() {
        requireClient("pollReconnected");
        if (!reconnecting) {
            return true;
        }
        // Acquire: the server's reset of the indices happens before connection = 0.
        if (page.getIntAcquire(CONNECTION_OFFSET) != XENSTORE_CONNECTED) {
            return false;
        }
        reconnecting = false;
        producer.attach();
        consumer.attach();
        return true;
    }

    /**
     * Server: advertises features by setting bits of {@code server_features}; bits are never
     * cleared, as the protocol requires. Advertise before producing or consuming.
     *
     * @param features {@code XENSTORE_SERVER_FEATURE_*} bits
     * @throws IllegalStateException on the client side
     */
    public void advertiseFeatures(final int features) {
        requireServer("advertiseFeatures");
        page.putIntRelease(SERVER_FEATURES_OFFSET, page.getIntAcquire(SERVER_FEATURES_OFFSET) | features);
    }

    /**
     * Server: whether the client asked for a reconnection. Only meaningful once
     * {@link #XENSTORE_SERVER_FEATURE_RECONNECTION} is advertised.
     *
     * @return true if connection = {@link #XENSTORE_RECONNECT} and reconnection is advertised
     * @throws IllegalStateException on the client side
     */
    public boolean reconnectRequested() {
        requireServer("reconnectRequested");
        return reconnectionAdvertised() && page.getIntAcquire(CONNECTION_OFFSET) == XENSTORE_RECONNECT;
    }

    /**
     * Server: completes a reconnection. The caller has dropped its partial packets, in-flight
     * requests, watches and transactions; this empties both rings (all four indices 0, data
     * zeroed), clears {@code error}, attaches this side again and sets connection =
     * {@link #XENSTORE_CONNECTED}.
     *
     * @return true: the caller must notify the client
     * @throws IllegalStateException on the client side
     */
    public boolean completeReconnect() {
        requireServer("completeReconnect");
        page.setMemory(REQ_OFFSET, 2 * XENSTORE_RING_SIZE, (byte) 0);
        page.putIntRelease(REQ_CONS_OFFSET, 0);
        page.putIntRelease(REQ_PROD_OFFSET, 0);
        page.putIntRelease(RSP_CONS_OFFSET, 0);
        page.putIntRelease(RSP_PROD_OFFSET, 0);
        page.putIntRelease(ERROR_OFFSET, XENSTORE_ERROR_NONE);
        producer.attach();
        consumer.attach();
        // Volatile: everything above is visible before the client can see connection = 0.
        page.putIntVolatile(CONNECTION_OFFSET, XENSTORE_CONNECTED);
        return true;
    }

    /**
     * Server: reports a fatal error in {@code error} and stops both rings of this side, as the
     * connection error feature describes.
     *
     * @param error an {@code XENSTORE_ERROR_*} value other than {@link #XENSTORE_ERROR_NONE}
     * @return true: the caller must notify the client
     * @throws IllegalStateException on the client side
     */
    public boolean reportError(final int error) {
        requireServer("reportError");
        if (error == XENSTORE_ERROR_NONE) {
            throw new IllegalArgumentException("ring=" + name + ": reportError needs a non-zero error, error=" + error);
        }
        producer.detach();
        consumer.detach();
        page.putIntVolatile(ERROR_OFFSET, error);
        return true;
    }

    private void requireClient(final String operation) {
        if (server) {
            throw new IllegalStateException("ring=" + name + ": " + operation + " is a client operation, side=server");
        }
    }

    private void requireServer(final String operation) {
        if (!server) {
            throw new IllegalStateException("ring=" + name + ": " + operation + " is a server operation, side=client");
        }
    }
}
