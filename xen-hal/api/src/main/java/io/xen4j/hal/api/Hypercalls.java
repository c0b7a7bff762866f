package io.xen4j.hal.api;

/**
 * Raw hypercalls ({@code IOCTL_PRIVCMD_HYPERCALL}) for privileged tools. Arguments are passed as
 * the hypervisor sees them: pointer arguments are addresses in this process, so only a backend
 * with real memory (the Linux HAL) can make hypercalls that take buffers; a simulated backend
 * implements the few that take plain values and reports the others as {@link Errno#ENOSYS}.
 */
public interface Hypercalls {
    /**
     * {@code XENVER_version} of {@code xen/version.h}: the {@code __HYPERVISOR_xen_version}
     * command that returns {@code major << 16 | minor}.
     */
    int XENVER_VERSION = 0;

    /**
     * Makes a hypercall.
     *
     * @param op   the hypercall number ({@code __HYPERVISOR_*}, e.g.
     *             {@link io.xen4j.abi.Xen#HYPERVISOR_XEN_VERSION})
     * @param args up to five arguments
     * @return the hypercall's non-negative result
     * @throws XenHalException naming the hypercall and carrying the errno of a negative result
     *                         ({@link Errno#ENOSYS} for one the backend cannot make)
     * @throws IllegalArgumentException for more than five arguments
     */
    long hypercall(int op, long... args);
}
