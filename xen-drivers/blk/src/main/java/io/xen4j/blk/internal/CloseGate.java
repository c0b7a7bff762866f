package io.xen4j.blk.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a resource (a file descriptor) be closed from any thread while others use it: the
 * resource is released by whichever comes last, the close or the last use in flight, and exactly
 * once. A use that starts after the close is refused. Two atomic additions per use, no lock, no
 * waiting: a close never blocks on a use that is stuck in a slow system call.
 *
 * <p>A descriptor closed under a use would be worse than an error: the use could reach whatever
 * file the number names by then (the kernel hands out the lowest free number to the next open).
 */
public final class CloseGate {
    /** {@link #state}: set once closed; the rest counts uses in flight, in steps of {@link #USE}. */
    private static final long CLOSED = 1;
    private static final long USE = 2;

    private final AtomicLong state = new AtomicLong();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable release;

    /**
     * Creates an open gate.
     *
     * @param release what frees the resource; run once, on the thread of the close or of the last use
     */
    public CloseGate(final Runnable release) {
        this.release = release;
    }

    /**
     * Starts a use.
     *
     * @return true if the resource may be used: {@link #exit()} must follow; false if the gate
     *         is closed (nothing to undo)
     */
    public boolean enter() {
        if ((state.getAndAdd(USE) & CLOSED) == 0) {
            return true;
        }
        exit();
        return false;
    }

    /** Ends a use that {@link #enter()} allowed; the last one after a close releases the resource. */
    public void exit() {
        if (state.addAndGet(-USE) == CLOSED) {
            releaseOnce();
        }
    }

    /** Closes the gate: releases the resource now if no use is in flight, else when the last one ends. Idempotent. */
    public void close() {
        long s = state.get();
        while ((s & CLOSED) == 0) {
            final long seen = state.compareAndExchange(s, s | CLOSED);
            if (seen == s) {
                if (s == 0) {
                    releaseOnce();
                }
                return;
            }
            s = seen;
        }
    }

    /**
     * Whether the resource was released.
     *
     * @return true once released
     */
    public boolean released() {
        return released.get();
    }

    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
