package io.xen4j.hal.api;

/**
 * A resource a domain holds through the HAL: an event channel binding, a share of pages, a grant
 * mapping, a foreign mapping, a timer. Closing it releases the resource (unbind, end access,
 * unmap, cancel).
 *
 * <p>Use after close and a second close throw {@link HandleClosedException}, which names the
 * handle: a double unmap is a bug in the caller that must not pass silently.
 */
public interface XenHandle extends AutoCloseable {
    /**
     * What this handle is, for messages: e.g. {@code "grant mapping dom1 refs [8,9]"}.
     *
     * @return the description
     */
    String describe();

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    boolean isClosed();

    /**
     * Releases the resource.
     *
     * @throws HandleClosedException if the handle was already closed
     */
    @Override
    void close();
}
