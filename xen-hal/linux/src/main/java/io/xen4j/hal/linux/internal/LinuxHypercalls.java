package io.xen4j.hal.linux.internal;

import io.xen4j.hal.api.Hypercalls;

/**
 * {@link Hypercalls} through {@code IOCTL_PRIVCMD_HYPERCALL}. Pointer arguments are addresses in
 * this process; {@link HypercallBuffer} gives memory the kernel lets the hypervisor use.
 */
public final class LinuxHypercalls implements Hypercalls {
    private final HostCore host;

    /**
     * Creates the service.
     *
     * @param host the host
     */
    public LinuxHypercalls(final HostCore host) {
        this.host = host;
    }

    @Override
    public long hypercall(final int op, final long... args) {
        Hypercall.check(op, args);
        final String what = Hypercall.describe(op) + " by dom" + host.domid();
        host.checkUsable(what);
        return host.hypercall(what, op, args);
    }
}
