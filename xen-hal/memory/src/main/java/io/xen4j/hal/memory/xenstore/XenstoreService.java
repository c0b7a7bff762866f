package io.xen4j.hal.memory.xenstore;

import io.xen4j.store.wire.XsMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The in-memory xenstored made safe for threads: one {@link XenstoreCore} behind one lock,
 * shared by every way it is served. In-process clients connect with {@link #connect}; the Unix
 * socket server ({@link XenstoredSocketServer}) and the rings of simulated domains run their
 * byte streams through {@link #call} and {@link #run}.
 *
 * <p>Replies and watch events for in-process clients are handed to their sinks after the lock is
 * released, in the order the daemon produced them, on the thread that caused them.
 */
public final class XenstoreService {
    private static final System.Logger LOG = System.getLogger(XenstoreService.class.getName());

    private final XenstoreCore core;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<InProcessConnection> pending = new ConcurrentLinkedQueue<>();

    /** A daemon with the quotas of C xenstored 4.17. */
    public XenstoreService() {
        this(new XenstoreCore());
    }

    /**
     * A service around an existing core; the caller must not touch the core directly afterwards.
     *
     * @param core the daemon
     */
    public XenstoreService(final XenstoreCore core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /**
     * Runs {@code action} on the core under the lock, then delivers what it produced for
     * in-process clients.
     *
     * @param action what to do
     * @param <T>    result type
     * @return what {@code action} returned
     */
    public <T> T call(final Function<XenstoreCore, T> action) {
        final T result;
        lock.lock();
        try {
            result = action.apply(core);
        } finally {
            lock.unlock();
        }
        deliverPending();
        return result;
    }

    /**
     * Runs {@code action} on the core under the lock, then delivers what it produced for
     * in-process clients.
     *
     * @param action what to do
     */
    public void run(final Consumer<XenstoreCore> action) {
        lock.lock();
        try {
            action.accept(core);
        } finally {
            lock.unlock();
        }
        deliverPending();
    }

    /**
     * Connects an in-process client of domain {@code domid}.
     *
     * @param domid domain id: 0 for a privileged client, else an introduced domain
     * @param sink  receives the replies and watch events for the client, in order; it must not block
     *              for long, and what it throws is logged and ignored
     * @return the connection
     */
    public InProcessConnection connect(final int domid, final Consumer<XsMessage> sink) {
        Objects.requireNonNull(sink, "sink");
        return call(c -> {
            final XsConnection conn = c.connect(domid);
            final InProcessConnection ipc = new InProcessConnection(conn, sink);
            conn.outputListener(() -> pending.add(ipc));
            return ipc;
        });
    }

    private void deliverPending() {
        InProcessConnection ipc;
        while ((ipc = pending.poll()) != null) {
            ipc.deliver();
        }
    }

    /** One in-process client: requests go in with {@link #send}, answers come out through its sink. */
    public final class InProcessConnection implements AutoCloseable {
        private final XsConnection connection;
        private final Consumer<XsMessage> sink;
        private final Object deliveryOrder = new Object();

        private InProcessConnection(final XsConnection connection, final Consumer<XsMessage> sink) {
            this.connection = connection;
            this.sink = sink;
        }

        /**
         * The client's domain.
         *
         * @return domain id
         */
        public int domid() {
            return connection.domid();
        }

        /**
         * Sends one request; its reply and any watch events reach the sinks before this returns
         * (unless another thread is delivering to the same sink, which then delivers them).
         *
         * @param request the request
         * @throws IllegalStateException if the connection is closed
         */
        public void send(final XsMessage request) {
            run(c -> c.handle(connection, request));
        }

        /**
         * Whether the connection is closed, by {@link #close()} or because the domain was released.
         *
         * @return true if closed
         */
        public boolean isClosed() {
            return call(c -> connection.isClosed());
        }

        /** Closes the connection: its watches and transactions go. */
        @Override
        public void close() {
            run(c -> c.disconnect(connection, "in-process client closed"));
        }

        private void deliver() {
            synchronized (deliveryOrder) {
                final List<XsMessage> out = new ArrayList<>();
                lock.lock();
                try {
                    XsMessage m;
                    while ((m = connection.pollOutput()) != null) {
                        out.add(m);
                    }
                } finally {
                    lock.unlock();
                }
                for (final XsMessage m : out) {
                    try {
                        sink.accept(m);
                    } catch (final RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "xenstored: the sink of " + connection + " threw on " + m, e);
                    }
                }
            }
        }
    }
}
