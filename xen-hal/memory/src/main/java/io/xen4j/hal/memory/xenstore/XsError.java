package io.xen4j.hal.memory.xenstore;

/**
 * A request failed with one of the error names of {@code xs_wire.h}; the core turns it into an
 * {@code XS_ERROR} reply. Thrown only inside the core, never out of it.
 *
 * <p>No stack trace: errors are part of normal operation (a missing node is {@code ENOENT}), and a
 * hostile peer must not be able to make the daemon spend time filling traces.
 */
final class XsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorName;

    XsError(final String errorName, final String detail) {
        super(errorName + ": " + detail, null, false, false);
        this.errorName = errorName;
    }

    /** The name sent on the wire, one of {@link io.xen4j.abi.xenstore.XsdErrors}. */
    String errorName() {
        return errorName;
    }
}
