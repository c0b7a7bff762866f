package io.xen4j.store;

import io.xen4j.abi.xenstore.XsdErrors;
import org.jspecify.annotations.Nullable;

/**
 * A xenstore operation failed: the daemon answered with an error name, or the client refused the
 * request before sending it (a payload over 4096 bytes is {@code E2BIG}, a NUL inside a path is
 * {@code EINVAL}, as libxenstore does).
 *
 * <p>It carries the error name of {@code xs_wire.h} ({@code ENOENT}, {@code EACCES},
 * {@code EAGAIN}, ...; see {@link XsdErrors}), the operation ({@code XS_READ}, ...), the path the
 * operation was about (if it had one) and the connection it went over.
 */
public class XenStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorName;
    private final String operation;
    private final @Nullable String path;
    private final String connection;

    /**
     * An error of one operation.
     *
     * @param errorName  error name, one of {@link XsdErrors#NAMES} or what the daemon sent
     * @param operation  operation name, such as {@code XS_READ}
     * @param path       path of the operation, or null for operations without one
     * @param connection the connection, such as {@code unix socket /run/xenstored/socket}
     * @param detail     more words for the message, or null
     * @param cause      the cause, or null
     */
    public XenStoreException(final String errorName, final String operation, final @Nullable String path,
        final String connection, final @Nullable String detail, final @Nullable Throwable cause) {
        super(message(errorName, operation, path, connection, detail), cause);
        this.errorName = errorName;
        this.operation = operation;
        this.path = path;
        this.connection = connection;
    }

    /**
     * The error name, as on the wire: {@code ENOENT}, {@code EACCES}, {@code EAGAIN}, ...
     *
     * @return the name; compare with the constants of {@link XsdErrors}
     */
    public String errorName() {
        return errorName;
    }

    /**
     * Whether {@link #errorName()} is {@code name}.
     *
     * @param name an error name of {@link XsdErrors}
     * @return true if equal
     */
    public boolean is(final String name) {
        return errorName.equals(name);
    }

    /**
     * The operation that failed, such as {@code XS_READ} or {@code XS_TRANSACTION_END}.
     *
     * @return the name
     */
    public String operation() {
        return operation;
    }

    /**
     * The path the operation was about.
     *
     * @return the path, or null for operations without one ({@code XS_TRANSACTION_START}, ...)
     */
    public @Nullable String path() {
        return path;
    }

    /**
     * The connection the operation went over.
     *
     * @return a description such as {@code unix socket /run/xenstored/socket}
     */
    public String connection() {
        return connection;
    }

    /**
     * The same failure, thrown again in the caller's thread so that its stack trace shows the
     * caller; the original (often from the reader thread) is the cause.
     *
     * @return a new exception of the same kind
     */
    public XenStoreException rethrowable() {
        return new XenStoreException(errorName, operation, path, connection, null, this);
    }

    private static String message(final String errorName, final String operation, final @Nullable String path,
        final String connection, final @Nullable String detail) {
        final StringBuilder sb = new StringBuilder("xenstore ").append(operation);
        if (path != null) {
            sb.append(' ').append(path);
        }
        sb.append(" failed: ").append(errorName);
        final String meaning = meaning(errorName);
        if (meaning != null) {
            sb.append(" (").append(meaning).append(')');
        }
        if (detail != null) {
            sb.append(": ").append(detail);
        }
        return sb.append(" [").append(connection).append(']').toString();
    }

    private static @Nullable String meaning(final String errorName) {
        return switch (errorName) {
            case XsdErrors.EINVAL -> "invalid argument";
            case XsdErrors.EACCES -> "permission denied";
            case XsdErrors.EEXIST -> "node exists";
            case XsdErrors.EISDIR -> "is a directory";
            case XsdErrors.ENOENT -> "no such node";
            case XsdErrors.ENOMEM -> "xenstored out of memory";
            case XsdErrors.ENOSPC -> "quota exhausted";
            case XsdErrors.EIO -> "input/output error";
            case XsdErrors.ENOTEMPTY -> "directory not empty";
            case XsdErrors.ENOSYS -> "not implemented by this xenstored";
            case XsdErrors.EROFS -> "read-only";
            case XsdErrors.EBUSY -> "busy";
            case XsdErrors.EAGAIN -> "transaction conflict, try again";
            case XsdErrors.EISCONN -> "already connected";
            case XsdErrors.E2BIG -> "message or reply over 4096 bytes";
            case XsdErrors.EPERM -> "operation not permitted";
            default -> null;
        };
    }
}
