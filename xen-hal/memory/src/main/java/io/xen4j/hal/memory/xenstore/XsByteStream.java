package io.xen4j.hal.memory.xenstore;

import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A connection of the daemon as a byte stream, the form every transport has: bytes the client
 * wrote go in ({@link #receive}), bytes for the client come out ({@link #drainTo}). The Unix
 * socket server uses it, and so does the ring of a simulated domain.
 *
 * <p>Requests are parsed with the shared {@link XsParser} and handed to the core one by one. An
 * unprivileged client that leaves {@link XenstoreQuotas#outstanding()} replies unread gets no
 * further request processed: {@link #receive} stops consuming its bytes, so they stay with the
 * transport (in the ring, where the guest sees no space) until the client reads; then
 * {@link #resume()} goes on. A header with a payload length over 4096 breaks the stream: the
 * message boundaries are lost, so the connection is closed, as C xenstored drops such a client.
 *
 * <p>Not thread-safe: call it only under the lock of the {@link XenstoreService} that owns the
 * core.
 */
public final class XsByteStream {
    private final XenstoreCore core;
    private final XsConnection connection;
    // Daemons answer unknown types with ENOSYS and keep the connection, so the parser lets them through.
    private final XsParser parser = new XsParser(false);
    private @Nullable XsMessage held;
    private @Nullable ByteBuffer partial;
    private @Nullable String broken;

    /**
     * A stream over an open connection of {@code core}.
     *
     * @param core       the daemon
     * @param connection the connection, from {@link XenstoreCore#connect(int)}
     */
    public XsByteStream(final XenstoreCore core, final XsConnection connection) {
        this.core = Objects.requireNonNull(core, "core");
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * The daemon's connection behind this stream.
     *
     * @return the connection
     */
    public XsConnection connection() {
        return connection;
    }

    /**
     * Takes bytes the client wrote and handles every complete request in them, as far as the
     * outstanding-reply quota allows.
     *
     * @param src    bytes
     * @param offset first byte
     * @param length number of bytes
     * @return bytes consumed; fewer than {@code length} when the client must first read replies,
     *         or when the stream broke
     */
    public int receive(final byte[] src, final int offset, final int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        if (broken != null || connection.isClosed() || !resume()) {
            return 0;
        }
        int at = offset;
        final int end = offset + length;
        while (at < end) {
            final ParseResult r = parser.parse(src, at, end - at);
            at += parser.consumed();
            switch (r) {
                case ParseResult.NeedMoreData n -> {
                    return at - offset;
                }
                case ParseResult.Failed f -> {
                    breakStream(f.describe());
                    return at - offset;
                }
                case ParseResult.Packet p -> {
                    held = p.message();
                    if (!resume()) {
                        return at - offset;
                    }
                }
            }
        }
        return at - offset;
    }

    /**
     * Takes bytes the client wrote from a buffer, advancing its position by what was consumed.
     *
     * @param src bytes between position and limit
     * @return bytes consumed
     */
    public int receive(final ByteBuffer src) {
        final int n;
        if (src.hasArray()) {
            n = receive(src.array(), src.arrayOffset() + src.position(), src.remaining());
        } else {
            final byte[] copy = new byte[src.remaining()];
            src.duplicate().get(copy);
            n = receive(copy, 0, copy.length);
        }
        src.position(src.position() + n);
        return n;
    }

    /**
     * Handles the request held back by the outstanding-reply quota, if the client has read
     * enough replies since. Transports call it after {@link #drainTo}.
     *
     * @return true if no request is held back any more
     */
    public boolean resume() {
        final XsMessage m = held;
        if (m == null) {
            return true;
        }
        if (!connection.mayProcess(core.quotas())) {
            return false;
        }
        held = null;
        core.handle(connection, m);
        return true;
    }

    /**
     * Whether a request waits for the client to read replies.
     *
     * @return true if one is held back
     */
    public boolean isHolding() {
        return held != null;
    }

    /**
     * Whether bytes wait to be sent to the client.
     *
     * @return true if {@link #drainTo} would write something
     */
    public boolean hasOutput() {
        final ByteBuffer p = partial;
        return (p != null && p.hasRemaining()) || connection.hasOutput();
    }

    /**
     * Writes as many waiting bytes as fit into {@code dst}; a message that does not fit is
     * continued by the next call.
     *
     * @param dst destination, written from its position
     * @return bytes written
     */
    public int drainTo(final ByteBuffer dst) {
        int written = 0;
        while (dst.hasRemaining()) {
            ByteBuffer p = partial;
            if (p == null || !p.hasRemaining()) {
                final XsMessage m = connection.pollOutput();
                if (m == null) {
                    partial = null;
                    break;
                }
                if (dst.remaining() >= m.encodedLength()) {
                    written += XsEncoder.encode(m, dst);
                    continue;
                }
                p = ByteBuffer.wrap(XsEncoder.toBytes(m));
                partial = p;
            }
            final int n = Math.min(p.remaining(), dst.remaining());
            final int limit = p.limit();
            p.limit(p.position() + n);
            dst.put(p);
            p.limit(limit);
            written += n;
        }
        return written;
    }

    /**
     * Why the stream broke, if it did.
     *
     * @return the reason (the rule and the offending header), or null
     */
    public @Nullable String brokenReason() {
        return broken;
    }

    /**
     * Whether the stream broke or the connection closed; the transport should then drop it.
     *
     * @return true if nothing more will be processed
     */
    public boolean isBroken() {
        return broken != null || connection.isClosed();
    }

    /**
     * Closes the daemon's side: watches and transactions go.
     *
     * @param reason why, such as "client closed the socket"
     */
    public void close(final String reason) {
        held = null;
        partial = null;
        core.disconnect(connection, reason);
    }

    private void breakStream(final String reason) {
        broken = "domain " + connection.domid() + ": " + reason;
        held = null;
        core.disconnect(connection, broken);
    }
}
