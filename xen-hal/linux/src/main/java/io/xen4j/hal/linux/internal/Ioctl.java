package io.xen4j.hal.linux.internal;

import io.xen4j.abi.linux.EvtchnIoctl;
import io.xen4j.abi.linux.Gntalloc;
import io.xen4j.abi.linux.Gntdev;
import io.xen4j.abi.linux.Privcmd;

/**
 * An ioctl request number with its C name, for messages: the number alone does not say which
 * request failed (gntalloc's and gntdev's {@code SET_UNMAP_NOTIFY} even share one).
 *
 * @param request the request number, as xen-abi computes it
 * @param name    its C name
 */
public record Ioctl(long request, String name) {
    /** {@code IOCTL_PRIVCMD_HYPERCALL}. */
    public static final Ioctl PRIVCMD_HYPERCALL = new Ioctl(Privcmd.IOCTL_PRIVCMD_HYPERCALL, "IOCTL_PRIVCMD_HYPERCALL");
    /** {@code IOCTL_PRIVCMD_MMAPBATCH_V2}. */
    public static final Ioctl PRIVCMD_MMAPBATCH_V2 =
        new Ioctl(Privcmd.IOCTL_PRIVCMD_MMAPBATCH_V2, "IOCTL_PRIVCMD_MMAPBATCH_V2");
    /** {@code IOCTL_PRIVCMD_MMAP_RESOURCE}. */
    public static final Ioctl PRIVCMD_MMAP_RESOURCE =
        new Ioctl(Privcmd.IOCTL_PRIVCMD_MMAP_RESOURCE, "IOCTL_PRIVCMD_MMAP_RESOURCE");
    /** {@code IOCTL_PRIVCMD_RESTRICT}. */
    public static final Ioctl PRIVCMD_RESTRICT = new Ioctl(Privcmd.IOCTL_PRIVCMD_RESTRICT, "IOCTL_PRIVCMD_RESTRICT");
    /** {@code IOCTL_EVTCHN_BIND_VIRQ}. */
    public static final Ioctl EVTCHN_BIND_VIRQ = new Ioctl(EvtchnIoctl.IOCTL_EVTCHN_BIND_VIRQ, "IOCTL_EVTCHN_BIND_VIRQ");
    /** {@code IOCTL_EVTCHN_BIND_INTERDOMAIN}. */
    public static final Ioctl EVTCHN_BIND_INTERDOMAIN =
        new Ioctl(EvtchnIoctl.IOCTL_EVTCHN_BIND_INTERDOMAIN, "IOCTL_EVTCHN_BIND_INTERDOMAIN");
    /** {@code IOCTL_EVTCHN_BIND_UNBOUND_PORT}. */
    public static final Ioctl EVTCHN_BIND_UNBOUND_PORT =
        new Ioctl(EvtchnIoctl.IOCTL_EVTCHN_BIND_UNBOUND_PORT, "IOCTL_EVTCHN_BIND_UNBOUND_PORT");
    /** {@code IOCTL_EVTCHN_UNBIND}. */
    public static final Ioctl EVTCHN_UNBIND = new Ioctl(EvtchnIoctl.IOCTL_EVTCHN_UNBIND, "IOCTL_EVTCHN_UNBIND");
    /** {@code IOCTL_EVTCHN_NOTIFY}. */
    public static final Ioctl EVTCHN_NOTIFY = new Ioctl(EvtchnIoctl.IOCTL_EVTCHN_NOTIFY, "IOCTL_EVTCHN_NOTIFY");
    /** {@code IOCTL_EVTCHN_RESET}. */
    public static final Ioctl EVTCHN_RESET = new Ioctl(EvtchnIoctl.IOCTL_EVTCHN_RESET, "IOCTL_EVTCHN_RESET");
    /** {@code IOCTL_GNTALLOC_ALLOC_GREF}. */
    public static final Ioctl GNTALLOC_ALLOC_GREF =
        new Ioctl(Gntalloc.IOCTL_GNTALLOC_ALLOC_GREF, "IOCTL_GNTALLOC_ALLOC_GREF");
    /** {@code IOCTL_GNTALLOC_DEALLOC_GREF}. */
    public static final Ioctl GNTALLOC_DEALLOC_GREF =
        new Ioctl(Gntalloc.IOCTL_GNTALLOC_DEALLOC_GREF, "IOCTL_GNTALLOC_DEALLOC_GREF");
    /** {@code IOCTL_GNTALLOC_SET_UNMAP_NOTIFY}. */
    public static final Ioctl GNTALLOC_SET_UNMAP_NOTIFY =
        new Ioctl(Gntalloc.IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, "IOCTL_GNTALLOC_SET_UNMAP_NOTIFY");
    /** {@code IOCTL_GNTDEV_MAP_GRANT_REF}. */
    public static final Ioctl GNTDEV_MAP_GRANT_REF =
        new Ioctl(Gntdev.IOCTL_GNTDEV_MAP_GRANT_REF, "IOCTL_GNTDEV_MAP_GRANT_REF");
    /** {@code IOCTL_GNTDEV_UNMAP_GRANT_REF}. */
    public static final Ioctl GNTDEV_UNMAP_GRANT_REF =
        new Ioctl(Gntdev.IOCTL_GNTDEV_UNMAP_GRANT_REF, "IOCTL_GNTDEV_UNMAP_GRANT_REF");
    /** {@code IOCTL_GNTDEV_SET_UNMAP_NOTIFY}. */
    public static final Ioctl GNTDEV_SET_UNMAP_NOTIFY =
        new Ioctl(Gntdev.IOCTL_GNTDEV_SET_UNMAP_NOTIFY, "IOCTL_GNTDEV_SET_UNMAP_NOTIFY");
    /** {@code IOCTL_GNTDEV_GRANT_COPY}. */
    public static final Ioctl GNTDEV_GRANT_COPY = new Ioctl(Gntdev.IOCTL_GNTDEV_GRANT_COPY, "IOCTL_GNTDEV_GRANT_COPY");

    /**
     * The call as messages name it.
     *
     * @return e.g. {@code "ioctl IOCTL_EVTCHN_NOTIFY"}
     */
    public String call() {
        return "ioctl " + name;
    }
}
