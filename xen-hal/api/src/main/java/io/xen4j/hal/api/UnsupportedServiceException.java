package io.xen4j.hal.api;

import java.io.Serial;

/**
 * A backend lacks a service, or lacks it for this domain. The message names the service, the
 * backend and why:
 *
 * <pre>
 * foreign memory (privcmd) on backend memory for dom1 failed: unsupported: dom1 is not privileged
 * </pre>
 */
public final class UnsupportedServiceException extends XenHalException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The missing service. */
    private final XenService service;
    /** The backend's name. */
    private final String backend;
    /** Why the service is missing. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param service the missing service
     * @param backend the backend's name ({@link XenHost#backendName()})
     * @param domid   the domain that asked
     * @param reason  why it is missing, e.g. {@code "/dev/xen/gntalloc does not exist"}
     */
    public UnsupportedServiceException(
        final XenService service, final String backend, final int domid, final String reason) {
        super(service.description() + " on backend " + backend + " for dom" + domid, 0, "unsupported: " + reason);
        this.service = service;
        this.backend = backend;
        this.reason = reason;
    }

    /**
     * The missing service.
     *
     * @return the service
     */
    public XenService service() {
        return service;
    }

    /**
     * The backend that lacks it.
     *
     * @return the backend's name
     */
    public String backend() {
        return backend;
    }

    /**
     * Why the service is missing.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
