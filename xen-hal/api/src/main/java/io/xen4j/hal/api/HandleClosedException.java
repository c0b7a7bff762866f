package io.xen4j.hal.api;

import java.io.Serial;

/**
 * A {@link XenHandle} was used after it was closed, or closed twice. The message names the handle
 * and what was attempted:
 *
 * <pre>
 * grant mapping dom1 refs [8,9] (closed): close
 * </pre>
 */
public final class HandleClosedException extends XenHalException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The closed handle's description. */
    private final String handle;

    /**
     * Creates the exception.
     *
     * @param handle    what the handle is, e.g. {@code "event channel dom2 port 5"}
     * @param operation what was attempted on it, e.g. {@code "notifyPeer"}
     */
    public HandleClosedException(final String handle, final String operation) {
        super(handle + " (closed): " + operation, Errno.EBADF, "the handle was closed");
        this.handle = handle;
    }

    /**
     * Creates the exception for a failure that only became one because the handle was closed,
     * e.g. the bounds check of a {@code plainBuffer()} that was shrunk to capacity 0.
     *
     * @param handle    what the handle is, e.g. {@code "grant mapping dom1 refs [8] in dom0"}
     * @param operation what was attempted on it and why the handle is gone, e.g.
     *                  {@code "ring access through the plain buffer (unmapped)"}
     * @param cause     the failure as the access saw it
     */
    public HandleClosedException(final String handle, final String operation, final Throwable cause) {
        super(handle + " (closed): " + operation, Errno.EBADF.number(), "the handle was closed", cause);
        this.handle = handle;
    }

    /**
     * The closed handle's description.
     *
     * @return the description
     */
    public String handle() {
        return handle;
    }
}
