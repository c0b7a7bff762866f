package io.xen4j.hal.memory.xenstore;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.rings.XenstoreRing;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's side of one domain's xenstore page ({@code struct xenstore_domain_interface}): it
 * reads requests from {@code req}, hands them to the daemon's {@link XsByteStream} of the
 * domain's connection, and writes the replies and watch events into {@code rsp}. Pure: it touches
 * the page and the daemon only; {@link #service()} says whether the domain is owed an event and
 * the caller (the {@link XenstoreRingServer}) sends it.
 *
 * <p>The guest is not trusted. Its indices are checked by xen-rings ({@code prod - cons > 1024}
 * on {@code req}, {@code rsp_cons} outside what was published): a violation breaks this
 * connection only, with {@code error = XENSTORE_ERROR_RINGIDX} on the page and one log line
 * naming the domain and the rule; a header with a payload length over 4096 does the same with
 * {@code XENSTORE_ERROR_PROTO}. Requests split anywhere (across the wrap, one byte per event) are
 * reassembled by the stream's parser. When the guest does not read its replies, {@code rsp}
 * fills, the replies wait in the daemon (at most {@link XenstoreQuotas#outstanding()} of them,
 * after which its requests wait in {@code req}): nothing grows without bound (SECURITY-RULES R9).
 * One call does at most {@link #MAX_ROUNDS} rounds of work, whatever the guest does (R8).
 *
 * <p>The guest may reset the connection ({@code connection = XENSTORE_RECONNECT},
 * {@code docs/misc/xenstore-ring.txt}): its watches, transactions and queued replies go, both rings
 * are emptied, and {@code error} is cleared. Not thread-safe: one server thread calls it.
 */
final class RingConnection {
    /** Rounds of reading and writing per {@link #service()}: bounds the work one event costs. */
    static final int MAX_ROUNDS = 16;
    private static final System.Logger LOG = System.getLogger(RingConnection.class.getName());

    private final String name;
    private final XenstoreService service;
    private final int domid;
    private final XenstoreRing ring;
    private final Runnable wake;
    // Requests copied out of the page once (SECURITY-RULES R2); bytes stay here only while the
    // outstanding-reply quota holds the stream back, and while they do nothing more is read.
    private final byte[] in = new byte[XsWire.XENSTORE_RING_SIZE];
    private final UnsafeBuffer inView = new UnsafeBuffer(in);
    private int inLength;
    private final ByteBuffer out = ByteBuffer.allocate(XsWire.XENSTORE_RING_SIZE).flip();
    private final UnsafeBuffer outView = new UnsafeBuffer(out.array());
    // Volatile: replaced on the ring thread, read by observers (tests, toString).
    private volatile XsByteStream stream;
    private volatile @Nullable String failure;
    private volatile boolean released;
    private boolean closed;
    private boolean moreWork;
    private long requestsRead;

    /**
     * Attaches to the page as the daemon does when a domain is introduced: advertises
     * reconnection and the error field, takes the indices as they are, and opens the domain's
     * connection.
     *
     * @param name    for messages, such as {@code xenstore ring of dom7}
     * @param service the daemon
     * @param domid   the domain, introduced already
     * @param page    the mapped xenstore page
     * @param wake    asks the server to call {@link #service()} soon; runs under the daemon's lock
     */
    RingConnection(final String name, final XenstoreService service, final int domid, final AtomicBuffer page,
        final Runnable wake) {
        this.name = name;
        this.service = Objects.requireNonNull(service, "service");
        this.domid = domid;
        this.wake = wake;
        this.ring = XenstoreRing.server(name, page);
        ring.advertiseFeatures(XsWire.XENSTORE_SERVER_FEATURE_RECONNECTION | XsWire.XENSTORE_SERVER_FEATURE_ERROR);
        ring.attach();
        this.stream = openStream();
    }

    private XsByteStream openStream() {
        return service.call(core -> {
            final XsConnection c = core.connect(domid);
            // Output caused by other connections (watch events) must reach this ring too.
            c.outputListener(wake);
            return new XsByteStream(core, c);
        });
    }

    String name() {
        return name;
    }

    int domid() {
        return domid;
    }

    /**
     * Why the connection broke, if it did.
     *
     * @return the rule and the values, or null
     */
    @Nullable String failure() {
        return failure;
    }

    /** Whether the domain was released ({@code XS_RELEASE}): the ring is not served until introduced again. */
    boolean isReleased() {
        return released;
    }

    /** Whether more work was left when the last {@link #service()} hit its bound. */
    boolean hasMoreWork() {
        return moreWork;
    }

    /** Bytes of requests copied out of the page so far. */
    long requestBytesRead() {
        return requestsRead;
    }

    /** Bytes read from the page that wait for the guest to read replies first. */
    int heldRequestBytes() {
        return inLength;
    }

    /** The daemon's connection now (it changes on reconnection). */
    XsConnection connection() {
        return stream.connection();
    }

    /**
     * Moves what it can between the page and the daemon: a reconnection request first, then rounds
     * of replies out and requests in until nothing moves or {@link #MAX_ROUNDS} is reached.
     *
     * @return true if the domain must be notified (bytes published or space released, an error
     *     reported, a reconnection completed)
     */
    boolean service() {
        moreWork = false;
        if (closed) {
            return false;
        }
        boolean notify = false;
        if (!released && ring.reconnectRequested()) {
            notify = reconnect();
        }
        if (failure != null || released) {
            return notify;
        }
        // A release (XS_RELEASE, or the domain destroyed) is noticed before the page is touched again.
        if (connectionClosed()) {
            released = true;
            return notify;
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean progress = pumpOutput();
            if (ring.producer().pushAndCheckNotify()) {
                notify = true;
            }
            progress |= pumpInput();
            if (ring.consumer().releaseAndCheckNotify()) {
                notify = true;
            }
            if (ring.isBroken()) {
                return fail(XsWire.XENSTORE_ERROR_RINGIDX, ring.brokenReason());
            }
            if (stream.isBroken()) {
                final String reason = stream.brokenReason();
                if (reason != null) {
                    return fail(XsWire.XENSTORE_ERROR_PROTO, reason + " (SECURITY-RULES: payload at most "
                        + XsWire.XENSTORE_PAYLOAD_MAX + " bytes)");
                }
                // The daemon closed the connection: the domain was released.
                released = true;
                return notify;
            }
            if (!progress) {
                return notify;
            }
        }
        moreWork = true;
        return notify;
    }

    private boolean connectionClosed() {
        final XsByteStream s = stream;
        return service.call(core -> s.brokenReason() == null && s.connection().isClosed());
    }

    /** Replies and events into {@code rsp}; true if bytes moved. */
    private boolean pumpOutput() {
        boolean progress = false;
        if (!out.hasRemaining()) {
            out.clear();
            service.run(core -> {
                stream.drainTo(out);
                // Replies left the daemon: a request the outstanding quota held back may go on.
                stream.resume();
            });
            out.flip();
            progress = out.hasRemaining();
        }
        if (out.hasRemaining()) {
            final int w = ring.producer().write(outView, out.position(), out.remaining());
            if (w > 0) {
                out.position(out.position() + w);
                progress = true;
            }
        }
        return progress;
    }

    /** Requests out of {@code req} into the daemon; true if bytes moved. */
    private boolean pumpInput() {
        boolean progress = false;
        if (inLength < in.length) {
            final int n = ring.consumer().read(inView, inLength, in.length - inLength);
            if (n > 0) {
                inLength += n;
                requestsRead += n;
                progress = true;
            }
        }
        if (inLength > 0) {
            final int length = inLength;
            final int consumed = service.call(core -> stream.receive(in, 0, length));
            if (consumed > 0) {
                System.arraycopy(in, consumed, in, 0, inLength - consumed);
                inLength -= consumed;
                progress = true;
            }
        }
        return progress;
    }

    private boolean fail(final int error, final String reason) {
        failure = "domain " + domid + ": " + reason;
        LOG.log(System.Logger.Level.WARNING, "xenstored: " + name + " broken, connection closed (other domains"
            + " are not affected): " + failure);
        final XsByteStream s = stream;
        service.run(core -> s.close(String.valueOf(failure)));
        inLength = 0;
        out.clear().flip();
        return ring.reportError(error);
    }

    private boolean reconnect() {
        final XsByteStream old = stream;
        service.run(core -> old.close("domain " + domid + " asked for a reconnection of its xenstore ring"));
        inLength = 0;
        out.clear().flip();
        failure = null;
        stream = openStream();
        return ring.completeReconnect();
    }

    /**
     * Serves the ring again after the domain was introduced anew: a new connection on the page as
     * it is now.
     */
    void reattach() {
        // The release may not have been noticed by a service() yet: look at the connection itself.
        final XsByteStream s = stream;
        if (closed || !(released || service.call(core -> s.connection().isClosed()))) {
            return;
        }
        released = false;
        failure = null;
        inLength = 0;
        out.clear().flip();
        ring.attach();
        stream = openStream();
    }

    /**
     * Stops serving: the connection's watches and transactions go.
     *
     * @param reason why, for the connection's close reason
     */
    void close(final String reason) {
        if (closed) {
            return;
        }
        closed = true;
        final XsByteStream s = stream;
        service.run(core -> s.close(reason));
    }

    @Override
    public String toString() {
        return name + (failure != null ? " (broken)" : released ? " (released)" : closed ? " (closed)" : "");
    }
}
