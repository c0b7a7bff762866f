package io.xen4j.platform;

/**
 * The device nodes Linux's Xen drivers create under {@code /dev/xen}; each is one HAL service or
 * part of one.
 */
public enum DevXenNode {
    /** {@code evtchn}: event channels ({@code xen-evtchn}). */
    EVTCHN("evtchn"),
    /** {@code gntdev}: mapping other domains' grants ({@code xen-gntdev}). */
    GNTDEV("gntdev"),
    /** {@code gntalloc}: sharing this domain's pages ({@code xen-gntalloc}). */
    GNTALLOC("gntalloc"),
    /** {@code privcmd}: hypercalls and foreign memory ({@code xen-privcmd}). */
    PRIVCMD("privcmd"),
    /** {@code hypercall}: the hypercall buffer allocator of privcmd (kernels 4.18 and later). */
    HYPERCALL("hypercall"),
    /** {@code xenbus}: xenstore through the kernel's xenbus connection. */
    XENBUS("xenbus"),
    /** {@code xenbus_backend}: the xenstore ring of a xenstored stub domain (dom0 only). */
    XENBUS_BACKEND("xenbus_backend");

    private final String fileName;

    DevXenNode(final String fileName) {
        this.fileName = fileName;
    }

    /**
     * The node's name under {@code /dev/xen}.
     *
     * @return e.g. {@code "privcmd"}
     */
    public String fileName() {
        return fileName;
    }
}
