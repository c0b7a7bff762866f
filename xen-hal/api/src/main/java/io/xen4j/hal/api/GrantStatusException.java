package io.xen4j.hal.api;

import java.io.Serial;

/**
 * A grant operation failed with a {@code GNTST_*} status from the hypervisor: the map or copy of
 * one grant reference was refused. {@link #status()} is the status (negative),
 * {@link #domid()} and {@link #ref()} name the grant.
 *
 * <pre>
 * map grant dom1 ref 9 writable into dom2 failed: EINVAL (22): GNTST_general_error (-1): the grant is read-only
 * </pre>
 */
public final class GrantStatusException extends XenHalException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int domid;
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
        super(operation, errnoNumber, GrantStatus.describe(status) + (detail.isEmpty() ? "" : ": " + detail));
        this.status = status;
        this.domid = domid;
        this.ref = ref;
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
