package io.xen4j.store.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A bidirectional byte stream to xenstored. The client writes whole encoded messages with
 * {@link #send} from one thread at a time and reads from one reader thread with {@link #receive};
 * the two may run at the same time.
 */
public interface XsTransport extends Closeable {
    /**
     * Writes every remaining byte of {@code bytes}, blocking while the peer does not take them.
     *
     * @param bytes the bytes between position and limit; the position ends at the limit
     * @throws IOException if the stream is broken or closed
     */
    void send(ByteBuffer bytes) throws IOException;

    /**
     * Reads at least one byte into the remaining space of {@code dst}, blocking until some
     * arrive.
     *
     * @param dst where the bytes go, from its position; it must have space
     * @return bytes read, at least 1, or -1 at the end of the stream
     * @throws IOException if the stream is broken, or closed while blocked
     *                     ({@link java.nio.channels.AsynchronousCloseException})
     */
    int receive(ByteBuffer dst) throws IOException;

    /**
     * What the transport is connected to, for messages: {@code unix socket /run/xenstored/socket},
     * {@code xenbus device /dev/xen/xenbus}, {@code ring page of dom7}.
     *
     * @return the description
     */
    String description();

    /**
     * Closes the stream; a {@link #receive} blocked in another thread returns with an exception
     * or -1. Closing twice does nothing.
     *
     * @throws IOException if closing failed
     */
    @Override
    void close() throws IOException;
}
