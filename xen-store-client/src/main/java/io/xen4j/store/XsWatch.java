package io.xen4j.store;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A watch set with {@link XenStoreClient#watch}: its events go to its listener through a queue of
 * bounded size, which merges events when full (SECURITY-RULES R9: nothing the daemon sends can
 * grow memory without bound). {@link #close()} removes the watch.
 */
public final class XsWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XsWatch.class.getName());
    /** Events one drain task delivers before it yields its thread to other watches. */
    private static final int DRAIN_BATCH = 64;

    private final XenStoreClient client;
    private final String path;
    private final String token;
    private final WatchListener listener;
    private final Executor executor;
    private final int capacity;
    private final ArrayDeque<WatchEvent> queue;
    private boolean scheduled;
    private boolean closed;
    private long received;
    private long merged;

    XsWatch(final XenStoreClient client, final String path, final String token, final WatchListener listener,
        final Executor executor, final int capacity) {
        this.client = client;
        this.path = path;
        this.token = token;
        this.listener = listener;
        this.executor = executor;
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 16));
    }

    /**
     * The watched path.
     *
     * @return the path as given to {@link XenStoreClient#watch}
     */
    public String path() {
        return path;
    }

    /**
     * The token the daemon puts in this watch's events.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /**
     * Events received from the daemon so far.
     *
     * @return count
     */
    public synchronized long receivedEvents() {
        return received;
    }

    /**
     * Events merged into others because the queue was full.
     *
     * @return count
     */
    public synchronized long mergedEvents() {
        return merged;
    }

    /**
     * Events waiting for the listener.
     *
     * @return 0..capacity
     */
    public synchronized int queuedEvents() {
        return queue.size();
    }

    /**
     * Whether the watch is removed (closed, or the connection reset or broke).
     *
     * @return true once closed
     */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Called by the reader thread: queue, merging when full, and make sure a drain is scheduled. */
    void offer(final String eventPath) {
        final boolean schedule;
        synchronized (this) {
            if (closed) {
                return;
            }
            received++;
            if (queue.size() < capacity) {
                queue.addLast(new WatchEvent(eventPath, token, 1));
            } else {
                merged++;
                final WatchEvent last = queue.pollLast();
                // capacity >= 1, so a full queue has a last element.
                final WatchEvent tail = last == null ? new WatchEvent(eventPath, token, 0) : last;
                final String mergedPath = tail.path().equals(eventPath) ? eventPath : path;
                queue.addLast(new WatchEvent(mergedPath, token, tail.count() + 1));
            }
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            submitDrain();
        }
    }

    private void submitDrain() {
        try {
            executor.execute(this::drain);
        } catch (final RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
            }
            LOG.log(Level.WARNING, "xenstore watch " + path + " token " + token + ": executor rejected delivery, "
                + queuedEvents() + " events stay queued [" + client.connection() + "]", e);
        }
    }

    private void drain() {
        for (int i = 0; i < DRAIN_BATCH; i++) {
            final WatchEvent event;
            synchronized (this) {
                event = closed ? null : queue.pollFirst();
                if (event == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                listener.onEvent(event);
            } catch (final RuntimeException | Error e) {
                // A listener failure must not stop later events nor other watches.
                LOG.log(Level.WARNING, "xenstore watch " + path + " token " + token + ": listener threw on event "
                    + event.path() + " [" + client.connection() + "]", e);
            }
        }
        submitDrain();
    }

    /** Stops delivery: the daemon no longer has the watch (closed, reset, connection gone). */
    void markClosed() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    /**
     * Removes the watch: stops delivery and sends {@code XS_UNWATCH}.
     *
     * @return completes when the daemon said OK
     */
    public CompletableFuture<Void> closeAsync() {
        final boolean wasClosed;
        synchronized (this) {
            wasClosed = closed;
        }
        markClosed();
        return client.unwatch(this, wasClosed);
    }

    /**
     * Removes the watch and waits for the daemon; nothing is sent if the connection is already
     * gone or the watch was removed before.
     *
     * @throws XenStoreException if the daemon refused the {@code XS_UNWATCH}
     */
    @Override
    public void close() {
        Futures.await(closeAsync());
    }

    @Override
    public String toString() {
        return "XsWatch[path=" + path + ", token=" + token + "]";
    }
}
