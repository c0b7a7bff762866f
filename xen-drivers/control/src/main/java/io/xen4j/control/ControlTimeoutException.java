package io.xen4j.control;

import java.time.Duration;

/**
 * A guest did not acknowledge a control request in time: it did not clear the node. The request
 * has been withdrawn (see {@link ControlToolstack}).
 */
public final class ControlTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int domid;
    private final String path;
    private final Duration waited;

    /**
     * Creates the exception.
     *
     * @param domid   the guest
     * @param path    the node that was written
     * @param waited  how long the toolstack waited
     * @param message the full message
     */
    public ControlTimeoutException(final int domid, final String path, final Duration waited, final String message) {
        super(message);
        this.domid = domid;
        this.path = path;
        this.waited = waited;
    }

    /**
     * The guest that did not answer.
     *
     * @return its domain id
     */
    public int domid() {
        return domid;
    }

    /**
     * The node that was written.
     *
     * @return the absolute path
     */
    public String path() {
        return path;
    }

    /**
     * How long the toolstack waited.
     *
     * @return the timeout
     */
    public Duration waited() {
        return waited;
    }
}
