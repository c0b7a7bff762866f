package io.xen4j.store;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting for a reply future and throwing its failure in the caller's thread. */
final class Futures {
    private Futures() {
    }

    static <T> T await(final CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenStoreException("EINTR", "wait", null, "interrupted", "interrupted while waiting for the reply", e);
        } catch (final ExecutionException | CancellationException e) {
            throw rethrow(e);
        }
    }

    static RuntimeException rethrow(final Throwable failure) {
        final Throwable cause = unwrap(failure);
        if (cause instanceof XenStoreException xe) {
            return xe.rethrowable();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new CompletionException(cause);
    }

    static Throwable unwrap(final Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static CompletionException asCompletionException(final Throwable cause) {
        return cause instanceof CompletionException ce ? ce : new CompletionException(cause);
    }
}
