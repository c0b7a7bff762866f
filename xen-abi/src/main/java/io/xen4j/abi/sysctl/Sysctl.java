package io.xen4j.abi.sysctl;

/**
 * Constants of {@code xen/sysctl.h} that xen4j uses: the interface version every {@code xen_sysctl}
 * carries, the {@code XEN_SYSCTL_get_pmstat} command and its {@code PMSTAT_*} request types.
 */
public final class Sysctl {
    /**
     * {@code XEN_SYSCTL_INTERFACE_VERSION} of Xen 4.17. Xen refuses a sysctl whose
     * {@code interface_version} differs ({@code EACCES}), so this pins the hypervisor versions the
     * library speaks sysctl with: the value changes whenever any sysctl layout changes.
     */
    public static final int XEN_SYSCTL_INTERFACE_VERSION = 0x00000015;

    /** Command: power-management statistics of a physical CPU, {@link XenSysctlGetPmstat}. */
    public static final int XEN_SYSCTL_GET_PMSTAT = 10;

    /** {@code xen_sysctl_get_pmstat.type}: the bits that name the category (P- or C-states). */
    public static final int PMSTAT_CATEGORY_MASK = 0xf0;
    /** {@code xen_sysctl_get_pmstat.type} category: P-states, {@code u.getpx}. */
    public static final int PMSTAT_PX = 0x10;
    /** {@code xen_sysctl_get_pmstat.type} category: C-states, {@code u.getcx}. */
    public static final int PMSTAT_CX = 0x20;
    /** Request: the number of P-states, into {@code u.getpx.total}. */
    public static final int PMSTAT_GET_MAX_PX = PMSTAT_PX | 0x1;
    /** Request: the P-state statistics: {@code u.getpx} and the arrays its handles point to. */
    public static final int PMSTAT_GET_PXSTAT = PMSTAT_PX | 0x2;
    /** Request: reset the P-state statistics. */
    public static final int PMSTAT_RESET_PXSTAT = PMSTAT_PX | 0x3;
    /** Request: the number of C-states including C0, into {@code u.getcx.nr}. */
    public static final int PMSTAT_GET_MAX_CX = PMSTAT_CX | 0x1;
    /** Request: the C-state statistics: {@code u.getcx} and the arrays its handles point to. */
    public static final int PMSTAT_GET_CXSTAT = PMSTAT_CX | 0x2;
    /** Request: reset the C-state statistics. */
    public static final int PMSTAT_RESET_CXSTAT = PMSTAT_CX | 0x3;

    private Sysctl() {
    }
}
