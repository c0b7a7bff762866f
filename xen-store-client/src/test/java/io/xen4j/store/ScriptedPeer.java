package io.xen4j.store;

import io.xen4j.store.transport.XenbusDeviceTransport;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * A daemon the test scripts byte by byte, behind two in-process pipes: it reads the client's
 * requests and writes whatever the test wants, well-formed or hostile.
 */
final class ScriptedPeer implements AutoCloseable {
    private final Pipe toPeer;
    private final Pipe toClient;
    private final XsParser parser = new XsParser(false);
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    final XenStoreClient client;

    ScriptedPeer(final XenStoreClient.Options options) throws IOException {
        toPeer = Pipe.open();
        toClient = Pipe.open();
        in.flip();
        client = XenStoreClient.connect(XenbusDeviceTransport.of(toClient.source(), toPeer.sink(), "scripted peer"),
            options);
    }

    ScriptedPeer() throws IOException {
        this(XenStoreClient.Options.DEFAULTS);
    }

    /** Blocks until the client sent a whole request. */
    XsMessage nextRequest() {
        try {
            while (true) {
                if (in.hasRemaining()) {
                    final ParseResult r = parser.parse(in);
                    if (r instanceof ParseResult.Packet p) {
                        return p.message();
                    }
                    if (r instanceof ParseResult.Failed f) {
                        throw new IllegalStateException(f.describe());
                    }
                    continue;
                }
                in.clear();
                if (toPeer.source().read(in) < 0) {
                    throw new IllegalStateException("client closed");
                }
                in.flip();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(final XsMessage m) {
        sendRaw(XsEncoder.toBytes(m));
    }

    void sendRaw(final byte[] bytes) {
        try {
            final ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                toClient.sink().write(b);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon goes away: the client reads the end of the stream. */
    void hangUp() throws IOException {
        toClient.sink().close();
    }

    @Override
    public void close() throws IOException {
        client.close();
        toClient.sink().close();
        toPeer.source().close();
    }
}
