package io.xen4j.hal.spi;

import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.XenHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The close-once state every {@link XenHandle} needs: {@link #close()} releases once and throws
 * {@link HandleClosedException} the second time; {@link #ensureOpen(String)} guards every other
 * operation.
 */
public abstract class AbstractXenHandle implements XenHandle {
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Creates an open handle. */
    protected AbstractXenHandle() {
    }

    @Override
    public final boolean isClosed() {
        return closed.get();
    }

    /**
     * Throws if the handle is closed.
     *
     * @param operation what the caller attempts, for the message
     * @throws HandleClosedException naming the handle
     */
    protected final void ensureOpen(final String operation) {
        if (closed.get()) {
            throw new HandleClosedException(describe(), operation);
        }
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new HandleClosedException(describe(), "close");
        }
        release();
    }

    /**
     * Closes the handle if it is open, without the double-close check: for owners that close what
     * is left when they shut down.
     *
     * @return true if this call closed it
     */
    public final boolean closeQuietly() {
        if (closed.compareAndSet(false, true)) {
            release();
            return true;
        }
        return false;
    }

    /**
     * Releases the resource; called exactly once, by the first close.
     */
    protected abstract void release();

    @Override
    public String toString() {
        return describe() + (isClosed() ? " (closed)" : "");
    }
}
