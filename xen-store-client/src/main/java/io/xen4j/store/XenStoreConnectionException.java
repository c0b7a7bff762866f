package io.xen4j.store;

import io.xen4j.abi.xenstore.XsdErrors;
import org.jspecify.annotations.Nullable;

/**
 * The connection to xenstored is broken: the transport failed or closed, or the daemon broke the
 * protocol (a reply over 4096 bytes, an unknown message type, a reply to no request). Its
 * {@link #errorName()} is {@code EIO}. Every request in flight fails with it, and so does every
 * later request: open a new client.
 */
public final class XenStoreConnectionException extends XenStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken connection.
     *
     * @param operation  the operation that noticed, such as {@code XS_READ} or {@code receive}
     * @param path       its path, or null
     * @param connection the connection
     * @param detail     what happened
     * @param cause      the cause, or null
     */
    public XenStoreConnectionException(final String operation, final @Nullable String path, final String connection,
        final String detail, final @Nullable Throwable cause) {
        super(XsdErrors.EIO, operation, path, connection, detail, cause);
    }

    @Override
    public XenStoreException rethrowable() {
        return new XenStoreConnectionException(operation(), path(), connection(), "connection broken", this);
    }
}
