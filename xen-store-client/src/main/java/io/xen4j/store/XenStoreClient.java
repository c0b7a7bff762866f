package io.xen4j.store;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import io.xen4j.abi.xenstore.XsdErrors;
import io.xen4j.store.transport.UnixSocketTransport;
import io.xen4j.store.transport.XenbusDeviceTransport;
import io.xen4j.store.transport.XsTransport;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsMessageTypes;
import io.xen4j.store.wire.XsParser;
import io.xen4j.store.wire.XsPayloadTooLongException;
import io.xen4j.store.wire.XsRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A xenstore client over one {@link XsTransport}: every message type of {@code xs_wire.h}, in
 * {@link CompletableFuture} and blocking forms, with requests in flight matched to their replies
 * by request id, transactions ({@link #transaction(int, TransactionBody)} retries on
 * {@code EAGAIN}), and watches whose events reach their listeners off the reader thread through
 * bounded queues.
 *
 * <p>One reader thread per client reads the transport, frames messages with the wire parser and
 * completes the futures; the futures' dependent stages without {@code Async} therefore run on it
 * and must not block. Any thread may send. The daemon is treated as a peer that can break the
 * protocol: a reply over 4096 bytes, an unknown message type, a reply to no request or of the
 * wrong type breaks the connection with a {@link XenStoreConnectionException} that says which.
 *
 * <pre>{@code
 * try (XenStoreClient xs = XenStoreClient.open()) {
 *     String name = xs.read("/local/domain/0/name");
 *     xs.transaction(10, tx -> { tx.write("/vm/a", "1"); return null; });
 * }
 * }</pre>
 */
public final class XenStoreClient implements XsOperations, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XenStoreClient.class.getName());
    /** Operation named by the failure when the reader thread itself threw: a client bug. */
    static final String READER_BUG = "reader";
    /** How long the reader thread sleeps when nothing is expected before it looks again. */
    private static final long READER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Longest single sleep of a caller waiting for its reply while another thread reads. */
    private static final long CALLER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Restarts of a part-wise directory read when the node keeps changing under it. */
    private static final int DIRECTORY_PART_RESTARTS = 16;
    /** Largest child list a part-wise read accumulates: far above any quota of xenstored. */
    private static final int DIRECTORY_PART_MAX_BYTES = 16 << 20;

    /**
     * Settings of a client; the defaults suit a tool or a driver.
     *
     * @param maxInFlight         requests sent and not answered, at most; a sender waits for a slot
     * @param watchQueueCapacity  events queued per watch before they are merged, at least 1
     * @param requestTimeout      how long a request may go unanswered before the connection is
     *                            considered dead and broken; {@link Duration#ZERO} waits forever,
     *                            as libxenstore does
     * @param watchExecutor       runs the watch listeners; null for a virtual thread per delivery
     */
    public record Options(int maxInFlight, int watchQueueCapacity, Duration requestTimeout,
        @Nullable Executor watchExecutor) {
        /** The defaults: 1024 in flight, 128 events per watch, no timeout, virtual threads. */
        public static final Options DEFAULTS = new Options(1024, 128, Duration.ZERO, null);

        /**
         * Checks the values.
         *
         * @param maxInFlight        at least 1
         * @param watchQueueCapacity at least 1
         * @param requestTimeout     zero or positive
         * @param watchExecutor      or null
         */
        public Options {
            if (maxInFlight < 1 || watchQueueCapacity < 1 || requestTimeout.isNegative()) {
                throw new IllegalArgumentException("xenstore client options: maxInFlight=" + maxInFlight
                    + " watchQueueCapacity=" + watchQueueCapacity + " requestTimeout=" + requestTimeout
                    + " (need maxInFlight >= 1, watchQueueCapacity >= 1, requestTimeout >= 0)");
            }
        }

        /**
         * These options with another in-flight bound.
         *
         * @param value at least 1
         * @return new options
         */
        public Options withMaxInFlight(final int value) {
            return new Options(value, watchQueueCapacity, requestTimeout, watchExecutor);
        }

        /**
         * These options with another watch queue capacity.
         *
         * @param value at least 1
         * @return new options
         */
        public Options withWatchQueueCapacity(final int value) {
            return new Options(maxInFlight, value, requestTimeout, watchExecutor);
        }

        /**
         * These options with another request timeout.
         *
         * @param value zero for none
         * @return new options
         */
        public Options withRequestTimeout(final Duration value) {
            return new Options(maxInFlight, watchQueueCapacity, value, watchExecutor);
        }

        /**
         * These options with another watch executor.
         *
         * @param value the executor, or null for virtual threads
         * @return new options
         */
        public Options withWatchExecutor(final @Nullable Executor value) {
            return new Options(maxInFlight, watchQueueCapacity, requestTimeout, value);
        }
    }

    /** A request in flight. */
    private static final class Pending<T> {
        final int type;
        final String operation;
        final @Nullable String path;
        final Function<XsMessage, T> decode;
        final CompletableFuture<T> future = new CompletableFuture<>();
        final boolean holdsPermit;
        /** The thread blocked on the reply, which may read it itself; null for an async request. */
        final @Nullable Thread waiter;

        Pending(final int type, final @Nullable String path, final Function<XsMessage, T> decode,
            final boolean holdsPermit, final @Nullable Thread waiter) {
            this.type = type;
            this.operation = XsMessageTypes.name(type);
            this.path = path;
            this.decode = decode;
            this.holdsPermit = holdsPermit;
            this.waiter = waiter;
        }
    }

    /** What a reply's payload was not, for a request that failed after a well-framed reply. */
    private static final class MalformedReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedReply(final String message) {
            super(message, null, false, false);
        }
    }

    private final XsTransport transport;
    private final String connection;
    private final Options options;
    private final Executor watchExecutor;
    private final @Nullable ExecutorService ownedExecutor;
    private final ConcurrentHashMap<Integer, Pending<?>> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, XsWatch> watches = new ConcurrentHashMap<>();
    private final Set<XsTransaction> transactions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextReqId = new AtomicInteger();
    private final AtomicInteger nextToken = new AtomicInteger();
    private final Semaphore inFlight;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(XsWireHeader.LENGTH + XsWire.XENSTORE_PAYLOAD_MAX);
    private final Thread reader;
    // The read role: whoever holds it reads the transport and dispatches what arrives. A thread
    // blocked on its own reply takes it when it is free and reads the reply itself (no hand-off
    // between threads, as libxenstore reads on the caller's thread); the reader thread takes it
    // only while watches or asynchronous requests wait for messages.
    private final ReentrantLock readRole = new ReentrantLock();
    private final XsParser parser = new XsParser();
    private final ByteBuffer in = ByteBuffer.allocateDirect(2 * (XsWireHeader.LENGTH + XsWire.XENSTORE_PAYLOAD_MAX));
    private final AtomicInteger blockedCallers = new AtomicInteger();
    private volatile boolean readerIdle;
    private volatile @Nullable XenStoreConnectionException broken;

    private XenStoreClient(final XsTransport transport, final Options options) {
        this.transport = transport;
        this.connection = transport.description();
        this.options = options;
        this.inFlight = new Semaphore(options.maxInFlight());
        final Executor given = options.watchExecutor();
        if (given == null) {
            final ExecutorService virtual = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("xenstore-watch-", 0).factory());
            this.ownedExecutor = virtual;
            this.watchExecutor = virtual;
        } else {
            this.ownedExecutor = null;
            this.watchExecutor = given;
        }
        this.reader = Thread.ofPlatform().daemon().name("xenstore-reader " + connection).unstarted(this::readLoop);
    }

    /**
     * A client over {@code transport} with the default options; it owns the transport and closes
     * it.
     *
     * @param transport a connected transport
     * @return the client, reading
     */
    public static XenStoreClient connect(final XsTransport transport) {
        return connect(transport, Options.DEFAULTS);
    }

    /**
     * A client over {@code transport}; it owns the transport and closes it.
     *
     * @param transport a connected transport
     * @param options   the settings
     * @return the client, reading
     */
    public static XenStoreClient connect(final XsTransport transport, final Options options) {
        final XenStoreClient client = new XenStoreClient(transport, options);
        client.reader.start();
        return client;
    }

    /**
     * Opens xenstore as libxenstore's {@code xs_open} does: the daemon's Unix socket if it exists
     * ({@code XENSTORED_PATH}, {@code $XENSTORED_RUNDIR/socket} or {@code /run/xenstored/socket}),
     * else the xenbus device ({@code XENSTORED_PATH}, {@code /dev/xen/xenbus} or
     * {@code /proc/xen/xenbus}).
     *
     * @return the client
     * @throws IOException if neither can be opened; the message names both paths
     */
    public static XenStoreClient open() throws IOException {
        return open(System.getenv(), Options.DEFAULTS);
    }

    /**
     * {@link #open()} with an explicit environment and options.
     *
     * @param env     the environment to take {@code XENSTORED_PATH} and {@code XENSTORED_RUNDIR} from
     * @param options the settings
     * @return the client
     * @throws IOException if neither the socket nor the device can be opened
     */
    public static XenStoreClient open(final Map<String, String> env, final Options options) throws IOException {
        final Path socket = UnixSocketTransport.socketPath(env);
        IOException socketFailure = null;
        if (isSocket(socket)) {
            try {
                return connect(UnixSocketTransport.connect(socket), options);
            } catch (final IOException e) {
                socketFailure = e;
            }
        }
        final Path device = XenbusDeviceTransport.devicePath(env);
        try {
            return connect(XenbusDeviceTransport.open(device), options);
        } catch (final IOException e) {
            final IOException failure = new IOException("cannot open xenstore: no usable socket at " + socket
                + " and no usable device at " + device + " (set " + UnixSocketTransport.ENV_XENSTORED_PATH
                + " to the daemon's socket)", e);
            if (socketFailure != null) {
                failure.addSuppressed(socketFailure);
            }
            throw failure;
        }
    }

    private static boolean isSocket(final Path path) {
        // S_IFSOCK in st_mode, as libxenstore's S_ISSOCK: a character device such as
        // /dev/xen/xenbus is "other" too, so isOther() alone cannot tell them apart.
        final int sIfMt = 0170000;
        final int sIfSock = 0140000;
        try {
            final Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & sIfMt) == sIfSock;
        } catch (final UnsupportedOperationException | IllegalArgumentException e) {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
            } catch (final IOException notThere) {
                return false;
            }
        } catch (final IOException e) {
            return false;
        }
    }

    /**
     * What the client is connected to.
     *
     * @return the transport's description
     */
    public String connection() {
        return connection;
    }

    /**
     * Whether the connection is broken or closed; every request then fails at once.
     *
     * @return true if broken
     */
    public boolean isBroken() {
        return broken != null;
    }

    /**
     * Why the connection broke.
     *
     * @return the failure every request gets, or null while the connection works
     */
    public @Nullable XenStoreConnectionException failure() {
        return broken;
    }

    /**
     * Requests sent and not yet answered.
     *
     * @return count
     */
    public int requestsInFlight() {
        return pending.size();
    }

    // ---------------------------------------------------------------- node operations, no transaction

    @Override
    public CompletableFuture<byte[]> readBytesAsync(final String path) {
        return readBytesAsync(0, path);
    }

    @Override
    public CompletableFuture<Void> writeAsync(final String path, final byte[] value) {
        return writeAsync(0, path, value);
    }

    @Override
    public CompletableFuture<Void> mkdirAsync(final String path) {
        return mkdirAsync(0, path);
    }

    @Override
    public CompletableFuture<Void> rmAsync(final String path) {
        return rmAsync(0, path);
    }

    @Override
    public CompletableFuture<List<String>> directoryAsync(final String path) {
        return directoryAsync(0, path);
    }

    @Override
    public CompletableFuture<List<XsPermission>> getPermissionsAsync(final String path) {
        return getPermissionsAsync(0, path);
    }

    @Override
    public CompletableFuture<Void> setPermissionsAsync(final String path, final List<XsPermission> permissions) {
        return setPermissionsAsync(0, path, permissions);
    }

    // Blocking forms of the hot operations: the caller may read its reply itself (see readRole).

    @Override
    public byte[] readBytes(final String path) {
        return awaitReply(call(XsWire.XS_READ, path, id -> XsRequests.read(id, 0, path), XsMessage::payload, false,
            true));
    }

    @Override
    public String read(final String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    @Override
    public void write(final String path, final byte[] value) {
        awaitReply(call(XsWire.XS_WRITE, path, id -> XsRequests.write(id, 0, path, value), XenStoreClient::ok, false,
            true));
    }

    @Override
    public void write(final String path, final String value) {
        write(path, value.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- node operations, any transaction

    CompletableFuture<byte[]> readBytesAsync(final int txId, final String path) {
        return call(XsWire.XS_READ, path, id -> XsRequests.read(id, txId, path), XsMessage::payload);
    }

    CompletableFuture<Void> writeAsync(final int txId, final String path, final byte[] value) {
        return call(XsWire.XS_WRITE, path, id -> XsRequests.write(id, txId, path, value), XenStoreClient::ok);
    }

    CompletableFuture<Void> mkdirAsync(final int txId, final String path) {
        return call(XsWire.XS_MKDIR, path, id -> XsRequests.mkdir(id, txId, path), XenStoreClient::ok);
    }

    CompletableFuture<Void> rmAsync(final int txId, final String path) {
        return call(XsWire.XS_RM, path, id -> XsRequests.rm(id, txId, path), XenStoreClient::ok);
    }

    CompletableFuture<List<XsPermission>> getPermissionsAsync(final int txId, final String path) {
        return call(XsWire.XS_GET_PERMS, path, id -> XsRequests.getPerms(id, txId, path), reply -> {
            if (!reply.isNulTerminated() || reply.payloadLength() == 0) {
                throw new MalformedReply("permission list not NUL-terminated or empty");
            }
            try {
                return XsPermission.parseAll(reply.strings());
            } catch (final IllegalArgumentException e) {
                throw new MalformedReply(String.valueOf(e.getMessage()));
            }
        });
    }

    CompletableFuture<Void> setPermissionsAsync(final int txId, final String path,
        final List<XsPermission> permissions) {
        if (permissions.isEmpty()) {
            return CompletableFuture.failedFuture(new XenStoreException(XsdErrors.EINVAL, "XS_SET_PERMS", path,
                connection, "a permission list needs at least the owner entry", null));
        }
        final List<String> texts = new ArrayList<>(permissions.size());
        for (final XsPermission p : permissions) {
            texts.add(p.toString());
        }
        return call(XsWire.XS_SET_PERMS, path, id -> XsRequests.setPerms(id, txId, path, texts), XenStoreClient::ok);
    }

    CompletableFuture<List<String>> directoryAsync(final int txId, final String path) {
        final CompletableFuture<List<String>> whole = call(XsWire.XS_DIRECTORY, path,
            id -> XsRequests.directory(id, txId, path), XenStoreClient::children);
        return whole.exceptionallyCompose(failure -> {
            final Throwable cause = Futures.unwrap(failure);
            if (cause instanceof XenStoreException xe && xe.is(XsdErrors.E2BIG)
                && !(cause instanceof XenStoreConnectionException)) {
                return new DirectoryPartRead(txId, path).start();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** A directory read in parts: offsets advance over the child list, restarting if it changes. */
    private final class DirectoryPartRead {
        private final int txId;
        private final String path;
        private final CompletableFuture<List<String>> result = new CompletableFuture<>();
        private final ByteArrayOutputStream list = new ByteArrayOutputStream();
        private @Nullable String generation;
        private int restarts;

        DirectoryPartRead(final int txId, final String path) {
            this.txId = txId;
            this.path = path;
        }

        CompletableFuture<List<String>> start() {
            next();
            return result;
        }

        private void next() {
            final int offset = list.size();
            call(XsWire.XS_DIRECTORY_PART, path, id -> XsRequests.directoryPart(id, txId, path, offset),
                Function.identity()).whenComplete((reply, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(Futures.unwrap(failure));
                    } else {
                        accept(reply);
                    }
                });
        }

        private void accept(final XsMessage reply) {
            final String gen = reply.firstString();
            final byte[] part = reply.bytesAfterFirstNul();
            if (reply.nulCount() == 0) {
                fail("XS_DIRECTORY_PART reply has no generation count");
                return;
            }
            if (generation != null && !generation.equals(gen)) {
                // The node changed between two parts: the offsets no longer line up, start over.
                if (++restarts > DIRECTORY_PART_RESTARTS) {
                    result.completeExceptionally(new XenStoreException(XsdErrors.EAGAIN, "XS_DIRECTORY_PART", path,
                        connection, "directory changed during " + restarts + " part-wise reads", null));
                    return;
                }
                generation = null;
                list.reset();
                next();
                return;
            }
            generation = gen;
            list.writeBytes(part);
            final int size = list.size();
            final byte[] all = list.toByteArray();
            if (size <= 1 || all[size - 2] == 0) {
                // The last part ends with an empty string: two NULs in a row, or a lone NUL.
                result.complete(size <= 1 ? List.of() : splitNulTerminated(all, size - 1));
                return;
            }
            if (part.length == 0 || all[size - 1] != 0) {
                fail("XS_DIRECTORY_PART part is empty or ends inside a name, offset=" + (size - part.length));
                return;
            }
            if (size > DIRECTORY_PART_MAX_BYTES) {
                fail("child list over " + DIRECTORY_PART_MAX_BYTES + " bytes");
                return;
            }
            next();
        }

        private void fail(final String detail) {
            result.completeExceptionally(new XenStoreException(XsdErrors.EIO, "XS_DIRECTORY_PART", path, connection,
                "malformed reply: " + detail, null));
        }
    }

    // ---------------------------------------------------------------- transactions

    /**
     * {@code XS_TRANSACTION_START}.
     *
     * @return the transaction, open
     */
    public CompletableFuture<XsTransaction> startTransactionAsync() {
        return call(XsWire.XS_TRANSACTION_START, null, XsRequests::transactionStart, reply -> {
            final String text = XsRequests.replyString(reply);
            final int id;
            try {
                id = Integer.parseUnsignedInt(text);
            } catch (final NumberFormatException e) {
                throw new MalformedReply("transaction id is not an unsigned decimal: \"" + text + "\"");
            }
            final XsTransaction tx = new XsTransaction(this, id);
            transactions.add(tx);
            return tx;
        });
    }

    /**
     * Blocking {@link #startTransactionAsync()}.
     *
     * @return the transaction; close it (which aborts it unless committed)
     * @throws XenStoreException on an error reply (such as {@code ENOSPC}: too many transactions)
     */
    public XsTransaction startTransaction() {
        return Futures.await(startTransactionAsync());
    }

    /**
     * Runs {@code body} in a transaction and commits it, running it again in a new transaction as
     * long as the commit (or an operation in it) fails with {@code EAGAIN}, at most
     * {@code maxAttempts} times in all. Any other failure aborts the transaction and is thrown.
     *
     * @param maxAttempts how many times the body may run, at least 1
     * @param body        the work; it may run several times
     * @param <T>         what the body returns
     * @return what the body returned in the attempt that committed
     * @throws XenStoreException {@code EAGAIN} naming the attempts if every attempt conflicted, or
     *                           the error of a failed operation
     */
    public <T> T transaction(final int maxAttempts, final TransactionBody<T> body) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("xenstore transaction: maxAttempts=" + maxAttempts + " must be >= 1");
        }
        XenStoreException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            final XsTransaction tx = startTransaction();
            try {
                final T value = body.run(tx);
                tx.commit();
                return value;
            } catch (final XenStoreException e) {
                abortQuietly(tx);
                if (!e.is(XsdErrors.EAGAIN) || e instanceof XenStoreConnectionException) {
                    throw e;
                }
                last = e;
            } catch (final RuntimeException | Error e) {
                abortQuietly(tx);
                throw e;
            }
        }
        throw new XenStoreException(XsdErrors.EAGAIN, "XS_TRANSACTION_END", null, connection,
            "transaction still conflicting after " + maxAttempts + " attempts", last);
    }

    private void abortQuietly(final XsTransaction tx) {
        if (tx.isEnded() || isBroken()) {
            return;
        }
        try {
            tx.abort();
        } catch (final XenStoreException e) {
            LOG.log(Level.DEBUG, "xenstore: abort of " + tx + " failed [" + connection + "]", e);
        }
    }

    CompletableFuture<Void> transactionEnd(final int txId, final boolean commit) {
        return call(XsWire.XS_TRANSACTION_END, null, id -> XsRequests.transactionEnd(id, txId, commit),
            XenStoreClient::ok);
    }

    void forget(final XsTransaction tx) {
        transactions.remove(tx);
    }

    // ---------------------------------------------------------------- watches

    /**
     * {@code XS_WATCH} with a token chosen by the client.
     *
     * @param path     the path (or {@code @introduceDomain}, {@code @releaseDomain})
     * @param listener gets the events
     * @return the watch, once the daemon accepted it
     * @throws XenStoreException on an error reply (such as {@code ENOSPC}: too many watches)
     */
    public XsWatch watch(final String path, final WatchListener listener) {
        return Futures.await(watchAsync(path, "xen4j-" + nextToken.incrementAndGet(), listener));
    }

    /**
     * {@code XS_WATCH} with the given token.
     *
     * @param path     the path (or {@code @introduceDomain}, {@code @releaseDomain})
     * @param token    the token, unique among this client's watches
     * @param listener gets the events
     * @return the watch, once the daemon accepted it
     * @throws XenStoreException on an error reply
     */
    public XsWatch watch(final String path, final String token, final WatchListener listener) {
        return Futures.await(watchAsync(path, token, listener));
    }

    /**
     * {@code XS_WATCH}. The watch is registered before the request is sent, so the first event,
     * which the daemon sends right after its reply, is not missed.
     *
     * @param path     the path (or {@code @introduceDomain}, {@code @releaseDomain})
     * @param token    the token, unique among this client's watches
     * @param listener gets the events
     * @return the watch, once the daemon accepted it
     */
    public CompletableFuture<XsWatch> watchAsync(final String path, final String token, final WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        final XsWatch watch = new XsWatch(this, path, token, listener, watchExecutor, options.watchQueueCapacity());
        if (watches.putIfAbsent(token, watch) != null) {
            return CompletableFuture.failedFuture(new XenStoreException(XsdErrors.EEXIST, "XS_WATCH", path, connection,
                "this client already has a watch with token \"" + token + "\"", null));
        }
        final CompletableFuture<XsWatch> result = call(XsWire.XS_WATCH, path,
            id -> XsRequests.watch(id, path, token), reply -> {
                ok(reply);
                return watch;
            });
        return result.whenComplete((w, failure) -> {
            if (failure != null) {
                watches.remove(token, watch);
                watch.markClosed();
            }
        });
    }

    CompletableFuture<Void> unwatch(final XsWatch watch, final boolean alreadyClosed) {
        final boolean removed = watches.remove(watch.token(), watch);
        if (alreadyClosed || !removed || isBroken()) {
            return CompletableFuture.completedFuture(null);
        }
        return call(XsWire.XS_UNWATCH, watch.path(), id -> XsRequests.unwatch(id, watch.path(), watch.token()),
            XenStoreClient::ok);
    }

    /**
     * Watches this client has set.
     *
     * @return count
     */
    public int watchCount() {
        return watches.size();
    }

    /**
     * {@code XS_RESET_WATCHES}: the daemon removes every watch and transaction of this connection;
     * the client closes their handles.
     *
     * @return completes when the daemon said OK
     */
    public CompletableFuture<Void> resetWatchesAsync() {
        return call(XsWire.XS_RESET_WATCHES, null, XsRequests::resetWatches, reply -> {
            dropWatchesAndTransactions();
            return ok(reply);
        });
    }

    /**
     * Blocking {@link #resetWatchesAsync()}.
     *
     * @throws XenStoreException on an error reply
     */
    public void resetWatches() {
        Futures.await(resetWatchesAsync());
    }

    private void dropWatchesAndTransactions() {
        for (final XsWatch w : watches.values()) {
            w.markClosed();
        }
        watches.clear();
        for (final XsTransaction tx : transactions) {
            tx.markEnded();
        }
        transactions.clear();
    }

    // ---------------------------------------------------------------- domain management and control

    /**
     * {@code XS_GET_DOMAIN_PATH}: a domain's home, {@code /local/domain/<domid>}.
     *
     * @param domid the domain
     * @return the path
     */
    public CompletableFuture<String> getDomainPathAsync(final int domid) {
        return call(XsWire.XS_GET_DOMAIN_PATH, null, id -> XsRequests.getDomainPath(id, domid),
            XsRequests::replyString);
    }

    /**
     * Blocking {@link #getDomainPathAsync(int)}.
     *
     * @param domid the domain
     * @return the path
     */
    public String getDomainPath(final int domid) {
        return Futures.await(getDomainPathAsync(domid));
    }

    /**
     * {@code XS_INTRODUCE} (privileged): the daemon starts serving a domain over its ring page.
     *
     * @param domid the domain
     * @param mfn   the machine frame of its xenstore page
     * @param port  the unbound event channel in that domain
     * @return completes when the daemon said OK
     */
    public CompletableFuture<Void> introduceAsync(final int domid, final long mfn, final int port) {
        return call(XsWire.XS_INTRODUCE, null, id -> XsRequests.introduce(id, domid, mfn, port), XenStoreClient::ok);
    }

    /**
     * Blocking {@link #introduceAsync}.
     *
     * @param domid the domain
     * @param mfn   the machine frame of its xenstore page
     * @param port  the unbound event channel in that domain
     */
    public void introduce(final int domid, final long mfn, final int port) {
        Futures.await(introduceAsync(domid, mfn, port));
    }

    /**
     * {@code XS_RELEASE} (privileged): the daemon stops serving a domain.
     *
     * @param domid the domain
     * @return completes when the daemon said OK
     */
    public CompletableFuture<Void> releaseAsync(final int domid) {
        return call(XsWire.XS_RELEASE, null, id -> XsRequests.release(id, domid), XenStoreClient::ok);
    }

    /**
     * Blocking {@link #releaseAsync}.
     *
     * @param domid the domain
     */
    public void release(final int domid) {
        Futures.await(releaseAsync(domid));
    }

    /**
     * {@code XS_IS_DOMAIN_INTRODUCED}.
     *
     * @param domid the domain
     * @return whether the daemon serves it
     */
    public CompletableFuture<Boolean> isDomainIntroducedAsync(final int domid) {
        return call(XsWire.XS_IS_DOMAIN_INTRODUCED, null, id -> XsRequests.isDomainIntroduced(id, domid), reply -> {
            final String answer = XsRequests.replyString(reply);
            return switch (answer) {
                case "T" -> Boolean.TRUE;
                case "F" -> Boolean.FALSE;
                default -> throw new MalformedReply("answer is neither T nor F: \"" + answer + "\"");
            };
        });
    }

    /**
     * Blocking {@link #isDomainIntroducedAsync}.
     *
     * @param domid the domain
     * @return whether the daemon serves it
     */
    public boolean isDomainIntroduced(final int domid) {
        return Futures.await(isDomainIntroducedAsync(domid));
    }

    /**
     * {@code XS_RESUME} (privileged): {@code @releaseDomain} fires again when the domain shuts down.
     *
     * @param domid the domain
     * @return completes when the daemon said OK
     */
    public CompletableFuture<Void> resumeAsync(final int domid) {
        return call(XsWire.XS_RESUME, null, id -> XsRequests.resume(id, domid), XenStoreClient::ok);
    }

    /**
     * Blocking {@link #resumeAsync}.
     *
     * @param domid the domain
     */
    public void resume(final int domid) {
        Futures.await(resumeAsync(domid));
    }

    /**
     * {@code XS_SET_TARGET} (privileged): {@code domid} may act for {@code target}.
     *
     * @param domid  the acting domain
     * @param target the domain it acts for
     * @return completes when the daemon said OK
     */
    public CompletableFuture<Void> setTargetAsync(final int domid, final int target) {
        return call(XsWire.XS_SET_TARGET, null, id -> XsRequests.setTarget(id, domid, target), XenStoreClient::ok);
    }

    /**
     * Blocking {@link #setTargetAsync}.
     *
     * @param domid  the acting domain
     * @param target the domain it acts for
     */
    public void setTarget(final int domid, final int target) {
        Futures.await(setTargetAsync(domid, target));
    }

    /**
     * {@code XS_CONTROL}: a daemon-specific command ({@code check}, {@code log on}, {@code help}, ...).
     *
     * @param command the command
     * @param params  its parameters
     * @return the daemon's answer as text, without its trailing NUL
     */
    public CompletableFuture<String> controlAsync(final String command, final String... params) {
        return call(XsWire.XS_CONTROL, null, id -> XsRequests.control(id, command, params), XsRequests::replyString);
    }

    /**
     * Blocking {@link #controlAsync}.
     *
     * @param command the command
     * @param params  its parameters
     * @return the daemon's answer
     */
    public String control(final String command, final String... params) {
        return Futures.await(controlAsync(command, params));
    }

    /**
     * Sends any message and returns the daemon's reply as it is, error replies included: for
     * tools and tests that need a request this API does not build. The request id is replaced by
     * the client's own.
     *
     * @param request the message; its type must be one the daemon replies to
     * @return the reply, of the request's type or {@code XS_ERROR}
     */
    public CompletableFuture<XsMessage> requestRaw(final XsMessage request) {
        return call(request.type(), null, id -> request.withIds(id, request.txId()), reply -> reply, true);
    }

    // ---------------------------------------------------------------- request machinery

    // Void futures complete with null, the only Void value; NullAway cannot see that.
    @SuppressWarnings("NullAway")
    private static Void ok(final XsMessage reply) {
        // libxenstore accepts any payload for these replies; a mismatching one only gets logged.
        if (!reply.isOk() && LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "xenstore: " + XsMessageTypes.name(reply.type()) + " reply is not OK: " + reply);
        }
        return null;
    }

    private static List<String> children(final XsMessage reply) {
        if (!reply.isNulTerminated()) {
            throw new MalformedReply("child list not NUL-terminated");
        }
        return List.copyOf(reply.strings());
    }

    private static List<String> splitNulTerminated(final byte[] bytes, final int length) {
        final List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                names.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < length) {
            names.add(new String(bytes, start, length - start, StandardCharsets.UTF_8));
        }
        return List.copyOf(names);
    }

    /** Builds the request for an id; it may throw IllegalArgumentException for a bad argument. */
    @FunctionalInterface
    private interface RequestBuilder {
        XsMessage build(int reqId);
    }

    private <T> CompletableFuture<T> call(final int type, final @Nullable String path, final RequestBuilder builder,
        final Function<XsMessage, T> decode) {
        return call(type, path, builder, decode, false, false);
    }

    private <T> CompletableFuture<T> call(final int type, final @Nullable String path, final RequestBuilder builder,
        final Function<XsMessage, T> decode, final boolean rawErrors) {
        return call(type, path, builder, decode, rawErrors, false);
    }

    /**
     * Sends a request. {@code blocking}: the calling thread waits for the reply with
     * {@link #awaitReply} right after, and reads it itself if nobody else is reading.
     */
    private <T> CompletableFuture<T> call(final int type, final @Nullable String path, final RequestBuilder builder,
        final Function<XsMessage, T> decode, final boolean rawErrors, final boolean blocking) {
        final String operation = XsMessageTypes.name(type);
        final XenStoreConnectionException down = broken;
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        // The reader thread never waits for a slot: only it frees slots (follow-up requests of a
        // part-wise directory read are sent from it).
        final boolean onReader = Thread.currentThread() == reader;
        if (!onReader) {
            try {
                inFlight.acquire();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(new XenStoreException("EINTR", operation, path, connection,
                    "interrupted while waiting for a free request slot", e));
            }
        }
        final Function<XsMessage, T> decoder = rawErrors ? decode : reply -> {
            if (reply.isError()) {
                throw errorReply(reply, operation, path);
            }
            return decode.apply(reply);
        };
        final Pending<T> p = new Pending<>(type, path, decoder, !onReader,
            blocking && !onReader ? Thread.currentThread() : null);
        int reqId;
        do {
            reqId = nextReqId.getAndIncrement();
        } while (pending.putIfAbsent(reqId, p) != null);
        final XsMessage message;
        try {
            message = builder.build(reqId);
        } catch (final XsPayloadTooLongException e) {
            return failLocally(reqId, p, XsdErrors.E2BIG, e.getMessage());
        } catch (final IllegalArgumentException e) {
            return failLocally(reqId, p, XsdErrors.EINVAL, e.getMessage());
        }
        sendLock.lock();
        try {
            sendBuffer.clear();
            XsEncoder.encode(message, sendBuffer);
            sendBuffer.flip();
            transport.send(sendBuffer);
        } catch (final IOException e) {
            breakConnection(operation, path, "send failed: " + e.getMessage(), e);
            settle(reqId, p);
            return p.future;
        } finally {
            sendLock.unlock();
        }
        if (broken != null) {
            // The connection broke between the check above and the registration: nobody else
            // will complete this request.
            settle(reqId, p);
        }
        if (p.waiter == null && readerIdle) {
            // Registered before this check, so the reader either sees the request or is woken here.
            LockSupport.unpark(reader);
        }
        final Duration timeout = options.requestTimeout();
        if (!timeout.isZero() && !p.future.isDone()) {
            final int id = reqId;
            // A daemon that does not answer in time is taken as dead: the request cannot be
            // forgotten alone, since a late reply would then answer no request.
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                if (pending.get(id) == p) {
                    breakConnection(operation, path, "no reply within " + timeout, null);
                }
            });
        }
        return p.future;
    }

    private <T> CompletableFuture<T> failLocally(final int reqId, final Pending<T> p, final String errorName,
        final @Nullable String detail) {
        pending.remove(reqId, p);
        release(p);
        p.future.completeExceptionally(new XenStoreException(errorName, p.operation, p.path, connection,
            "not sent: " + detail, null));
        return p.future;
    }

    private void release(final Pending<?> p) {
        if (p.holdsPermit) {
            inFlight.release();
        }
    }

    private XenStoreException errorReply(final XsMessage reply, final String operation, final @Nullable String path) {
        final String name = reply.errorName();
        if (XsdErrors.isKnown(name)) {
            return new XenStoreException(name, operation, path, connection, null, null);
        }
        // A name outside the header: keep it, printable and short, so a hostile daemon cannot
        // flood logs; libxenstore would report EINVAL.
        final String shown = printable(name, 64);
        return new XenStoreException(shown, operation, path, connection, "error name not in xs_wire.h", null);
    }

    private static String printable(final String s, final int max) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < max; i++) {
            final char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        if (s.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }

    private void readLoop() {
        while (broken == null) {
            if (!backgroundInterest()) {
                readerIdle = true;
                // Checked again after the flag is set: call() sets the request first, then looks at the flag.
                if (!backgroundInterest() && broken == null) {
                    LockSupport.parkNanos(this, READER_IDLE_NANOS);
                }
                readerIdle = false;
                continue;
            }
            readRole.lock();
            try {
                if (broken == null && backgroundInterest()) {
                    readOnce();
                }
            } finally {
                releaseReadRole();
            }
        }
    }

    /** Whether messages are expected that no blocked caller will read: watch events, async replies. */
    private boolean backgroundInterest() {
        if (!watches.isEmpty()) {
            return true;
        }
        for (final Pending<?> p : pending.values()) {
            if (p.waiter == null) {
                return true;
            }
        }
        return false;
    }

    private void releaseReadRole() {
        readRole.unlock();
        if (blockedCallers.get() > 0) {
            // A caller waiting for its reply may take the role now.
            for (final Pending<?> p : pending.values()) {
                final Thread w = p.waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }

    /**
     * Waits for the reply of a request sent with {@code blocking}: takes the read role whenever it
     * is free and reads, else sleeps until its reply is dispatched or the role is released.
     */
    private <T> T awaitReply(final CompletableFuture<T> future) {
        // A caller inside a dispatch (a dependent stage run by the reading thread) must not read again.
        if (!future.isDone() && !readRole.isHeldByCurrentThread()) {
            blockedCallers.incrementAndGet();
            try {
                while (!future.isDone() && !Thread.currentThread().isInterrupted()) {
                    if (broken == null && readRole.tryLock()) {
                        try {
                            if (!future.isDone() && broken == null) {
                                readOnce();
                            }
                        } finally {
                            releaseReadRole();
                        }
                    } else {
                        // Woken by the dispatch of the reply or a release of the role; bounded anyway.
                        LockSupport.parkNanos(this, CALLER_PARK_NANOS);
                    }
                }
            } finally {
                blockedCallers.decrementAndGet();
            }
        }
        return Futures.await(future);
    }

    /** With the read role: one receive, and every complete message in it dispatched. */
    private void readOnce() {
        try {
            in.clear();
            final int n = transport.receive(in);
            if (n < 0) {
                breakConnection("receive", null, "xenstored closed the connection", null);
                return;
            }
            in.flip();
            while (in.hasRemaining()) {
                final ParseResult result = parser.parse(in);
                switch (result) {
                    case ParseResult.Packet packet -> {
                        if (!dispatch(packet.message())) {
                            return;
                        }
                    }
                    case ParseResult.NeedMoreData more -> {
                        // All bytes consumed: the rest comes with the next receive.
                    }
                    case ParseResult.Failed failed -> {
                        breakConnection("receive", null, "protocol violation: " + failed.describe(), null);
                        return;
                    }
                }
            }
        } catch (final IOException e) {
            breakConnection("receive", null, broken == null ? "receive failed: " + e.getMessage() : "closed", e);
        } catch (final RuntimeException | Error e) {
            // A bug of the client, not of the daemon: the operation says so.
            breakConnection(READER_BUG, null, "reader failed: " + e, e);
        }
    }

    /** Handles one message from the daemon; false if it broke the connection. */
    private boolean dispatch(final XsMessage message) {
        if (message.type() == XsWire.XS_WATCH_EVENT) {
            final List<String> strings = message.strings();
            if (strings.size() < 2 || !message.isNulTerminated()) {
                breakConnection("XS_WATCH_EVENT", null, "protocol violation: watch event without path and token: "
                    + message, null);
                return false;
            }
            final XsWatch watch = watches.get(strings.get(XsWire.XS_WATCH_TOKEN));
            if (watch != null) {
                watch.offer(strings.get(XsWire.XS_WATCH_PATH));
            }
            // Events for a token no longer watched are normal just after an unwatch.
            return true;
        }
        final Pending<?> p = pending.get(message.reqId());
        if (p == null) {
            breakConnection("receive", null, "protocol violation: reply to no request in flight: " + message, null);
            return false;
        }
        if (message.type() != p.type && message.type() != XsWire.XS_ERROR) {
            breakConnection(p.operation, p.path, "protocol violation: reply of type "
                + XsMessageTypes.name(message.type()) + " to " + p.operation + " (req_id "
                + Integer.toUnsignedString(message.reqId()) + ")", null);
            return false;
        }
        pending.remove(message.reqId(), p);
        release(p);
        complete(p, message);
        wakeWaiter(p);
        return true;
    }

    private <T> void complete(final Pending<T> p, final XsMessage reply) {
        final T value;
        try {
            value = p.decode.apply(reply);
        } catch (final XenStoreException e) {
            p.future.completeExceptionally(e);
            return;
        } catch (final MalformedReply e) {
            p.future.completeExceptionally(new XenStoreException(XsdErrors.EIO, p.operation, p.path, connection,
                "malformed reply: " + e.getMessage(), null));
            return;
        } catch (final RuntimeException e) {
            p.future.completeExceptionally(e);
            return;
        }
        p.future.complete(value);
    }

    private void breakConnection(final String operation, final @Nullable String path, final String detail,
        final @Nullable Throwable cause) {
        synchronized (this) {
            if (broken != null) {
                return;
            }
            broken = new XenStoreConnectionException(operation, path, connection, detail, cause);
        }
        LOG.log(Level.WARNING, broken.getMessage());
        LockSupport.unpark(reader);
        try {
            transport.close();
        } catch (final IOException e) {
            LOG.log(Level.DEBUG, "xenstore: closing " + connection + " failed", e);
        }
        for (final Map.Entry<Integer, Pending<?>> e : pending.entrySet()) {
            settle(e.getKey(), e.getValue());
        }
        dropWatchesAndTransactions();
    }

    private void settle(final int reqId, final Pending<?> p) {
        final XenStoreConnectionException down = Objects.requireNonNull(broken);
        if (pending.remove(reqId, p)) {
            release(p);
        }
        p.future.completeExceptionally(new XenStoreConnectionException(p.operation, p.path, connection,
            "connection broken before the reply", down));
        wakeWaiter(p);
    }

    private static void wakeWaiter(final Pending<?> p) {
        final Thread w = p.waiter;
        if (w != null && w != Thread.currentThread()) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Closes the connection: requests in flight fail with {@link XenStoreConnectionException},
     * watches stop, and the daemon drops this connection's watches and transactions.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (broken == null) {
                broken = new XenStoreConnectionException("close", null, connection, "client closed", null);
            }
        }
        try {
            transport.close();
        } catch (final IOException e) {
            LOG.log(Level.DEBUG, "xenstore: closing " + connection + " failed", e);
        }
        for (final Map.Entry<Integer, Pending<?>> e : pending.entrySet()) {
            settle(e.getKey(), e.getValue());
        }
        dropWatchesAndTransactions();
        LockSupport.unpark(reader);
        if (Thread.currentThread() != reader) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    @Override
    public String toString() {
        return "XenStoreClient[" + connection + (broken != null ? ", broken" : "") + "]";
    }
}
