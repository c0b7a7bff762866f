package io.xen4j.hal.api;

import io.xen4j.abi.grant.GrantStatus;
import java.io.Serial;
import java.util.Locale;

/**
 * A grant operation failed with a {@code GNTST_*} status from the hypervisor: the map or copy of
 * one grant reference was refused. {@link #status()} is the status (negative, a
 * {@link io.xen4j.abi.grant.GrantTable} {@code GNTST_*} constant),
 * {@link #domid()} and {@link #ref()} name the grant.
 *
 * <pre>
 * map grant dom1 ref 9 writable into dom2 failed: EINVAL (22): GNTST_general_error (-1, undefined error): the grant is read-only
 * </pre>
 */
public final class GrantStatusException extends XenHalException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The {@code GNTST_*} status. */
    private final int status;
    /** The granting domain. */
    private final int domid;
    /** The refused reference. */
    private final int ref;

    /**
     * Creates the exception.
     *
     * @param operation   what was attempted
     * @param errnoNumber the errno the kernel reports for it (the Linux gntdev driver reports
     *                    {@code EINVAL} for any refused map), or 0
     * @param status      the {@code GNTST_*} status, negative
     * @param domid       the granting domain
     * @param ref         the grant reference
     * @param detail      why, in words
     */
    public GrantStatusException(
        final String operation,
        final int errnoNumber,
        final int status,
        final int domid,
        final int ref,
        final String detail) {
        super(operation, errnoNumber, describe(status) + (detail.isEmpty() ? "" : ": " + detail));
        this.status = status;
        this.domid = domid;
        this.ref = ref;
    }

    /**
     * Names a {@code GNTST_*} status for messages: its C name, code and the header's message.
     *
     * @param status the status
     * @return e.g. {@code "GNTST_bad_gntref (-3, invalid grant reference)"}
     */
    public static String describe(final int status) {
        final GrantStatus s = GrantStatus.fromCode(status);
        return s == null ? GrantStatus.describe(status)
            : "GNTST_" + s.name().toLowerCase(Locale.ROOT) + " (" + status + ", " + s.message() + ")";
    }

    /**
     * The {@code GNTST_*} status of the refused reference.
     *
     * @return a negative status
     */
    public int status() {
        return status;
    }

    /**
     * The domain that granted (or was expected to grant) the reference.
     *
     * @return the domain id
     */
    public int domid() {
        return domid;
    }

    /**
     * The refused grant reference.
     *
     * @return the reference
     */
    public int ref() {
        return ref;
    }
}
