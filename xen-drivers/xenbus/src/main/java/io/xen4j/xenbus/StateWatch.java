package io.xen4j.xenbus;

import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XsWatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch on a peer's {@code state} node that only raises a flag: a driver's agent loop checks
 * {@link #changed()} and reads the state itself, on its own thread. However many events the peer
 * causes, the loop does one read per check (SECURITY-RULES R8, R9: nothing queues up).
 */
public final class StateWatch implements AutoCloseable {
    private final AtomicBoolean changed = new AtomicBoolean(true);
    private final XsWatch watch;

    /**
     * Starts watching a node.
     *
     * @param store the connection
     * @param path  the node, such as the peer's {@code state}
     */
    public StateWatch(final XenStoreClient store, final String path) {
        this.watch = store.watch(path, event -> changed.set(true));
    }

    /**
     * Whether the node changed since the last call (true on the first call).
     *
     * @return true once per batch of changes
     */
    public boolean changed() {
        // A plain volatile read first: the atomic swap (a locked instruction) only when raised.
        // A set that lands after the read is seen by the next call.
        return changed.get() && changed.getAndSet(false);
    }

    /** Raises the flag, so that the next {@link #changed()} is true (to re-evaluate after work). */
    public void poke() {
        changed.set(true);
    }

    /** Stops watching. */
    @Override
    public void close() {
        watch.close();
    }
}
