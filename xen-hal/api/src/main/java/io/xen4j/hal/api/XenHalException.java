package io.xen4j.hal.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A HAL request failed. The message says what was attempted, naming the domain, port or grant
 * reference, the errno where the hypervisor or the kernel gave one, and why:
 *
 * <pre>
 * bind interdomain dom2 to dom1 port 7 failed: EINVAL (22): dom1 port 7 is unbound for dom3, not dom2
 * </pre>
 *
 * <p>It is unchecked: most callers cannot recover locally and a driver turns it into a broken
 * device state (SECURITY-RULES R10).
 */
public class XenHalException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What was attempted. */
    private final String operation;
    /** The positive errno, or 0. */
    private final int errnoNumber;
    /** Why, in words. */
    private final String detail;

    /**
     * Creates an exception for a failed request.
     *
     * @param operation   what was attempted, naming domain, port and reference, e.g.
     *                    {@code "notify dom2 port 5"}
     * @param errnoNumber the error number (positive or negative; 0 when there is none)
     * @param detail      why, in words; may be empty
     */
    public XenHalException(final String operation, final int errnoNumber, final String detail) {
        this(operation, errnoNumber, detail, null);
    }

    /**
     * Creates an exception for a failed request.
     *
     * @param operation what was attempted, naming domain, port and reference
     * @param errno     the error, or {@code null} when there is none
     * @param detail    why, in words; may be empty
     */
    public XenHalException(final String operation, final @Nullable Errno errno, final String detail) {
        this(operation, errno == null ? 0 : errno.number(), detail, null);
    }

    /**
     * Creates an exception for a failed request with its cause.
     *
     * @param operation   what was attempted, naming domain, port and reference
     * @param errnoNumber the error number (positive or negative; 0 when there is none)
     * @param detail      why, in words; may be empty
     * @param cause       the underlying failure, or {@code null}
     */
    public XenHalException(
        final String operation, final int errnoNumber, final String detail, final @Nullable Throwable cause) {
        super(message(operation, errnoNumber, detail), cause);
        this.operation = operation;
        this.errnoNumber = Math.abs(errnoNumber);
        this.detail = detail;
    }

    private static String message(final String operation, final int errnoNumber, final String detail) {
        final StringBuilder sb = new StringBuilder(operation).append(" failed");
        if (errnoNumber != 0) {
            sb.append(": ").append(Errno.describe(errnoNumber));
        }
        if (!detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    /**
     * What was attempted, e.g. {@code "map grant dom1 ref 8 writable"}.
     *
     * @return the operation
     */
    public String operation() {
        return operation;
    }

    /**
     * The positive error number, or 0 when the failure has none.
     *
     * @return the errno
     */
    public int errnoNumber() {
        return errnoNumber;
    }

    /**
     * The error as a constant.
     *
     * @return the errno, or {@code null} when there is none or it is not one {@link Errno} lists
     */
    public @Nullable Errno errno() {
        return errnoNumber == 0 ? null : Errno.of(errnoNumber);
    }

    /**
     * Why the request failed, in words.
     *
     * @return the detail; may be empty
     */
    public String detail() {
        return detail;
    }
}
