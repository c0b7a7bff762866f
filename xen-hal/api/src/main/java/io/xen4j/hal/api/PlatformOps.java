package io.xen4j.hal.api;

import io.xen4j.abi.Xen;
import java.util.BitSet;
import org.agrona.DirectBuffer;

/**
 * Platform operations ({@code __HYPERVISOR_platform_op}) the control domain performs for the
 * hypervisor, which cannot parse ACPI itself: uploading processor power-management data (what
 * Linux's {@code xen-acpi-processor} does), and reading the hypervisor's per-CPU idle time; and the
 * power-management statistics of {@code XEN_SYSCTL_get_pmstat} ({@code __HYPERVISOR_sysctl}, what
 * {@code xenpm} reads), which belong to the same control-domain role.
 */
public interface PlatformOps {
    /** {@code XEN_PM_CX}: C-states ({@code _CST}). */
    int XEN_PM_CX = 0;
    /** {@code XEN_PM_PX}: P-states ({@code _PPC}, {@code _PCT}, {@code _PSS}, {@code _PSD}). */
    int XEN_PM_PX = 1;
    /** {@code XEN_PM_TX}: T-states. */
    int XEN_PM_TX = 2;
    /** {@code XEN_PM_PDC}: processor driver capabilities ({@code _PDC}). */
    int XEN_PM_PDC = 3;

    /**
     * The most physical CPUs {@link #idleTimes} asks about at once: Xen's largest {@code NR_CPUS}
     * is below it, and it bounds the hypercall buffers (16 KiB of idle times, 2 KiB of bitmap).
     */
    int MAX_IDLE_CPUS = 16384;

    /**
     * The most C-states {@link #cxStatistics} accepts from the hypervisor's {@code PMSTAT_get_max_cx}
     * answer: Xen keeps at most {@code ACPI_PROCESSOR_MAX_POWER} (8); a larger answer is refused
     * rather than allocated for.
     */
    int MAX_CX_STATES = 64;

    /** The most P-states there can be: {@code pm_px_stat.total} is a {@code uint8_t}. */
    int MAX_PX_STATES = 255;

    /** The package C-state counters asked for, PC1..PC10: the highest Xen 4.17 reads is PC10. */
    int PACKAGE_COUNTER_SLOTS = 10;

    /** The core C-state counters asked for, CC1..CC7: the highest Xen 4.17 reads is CC7. */
    int CORE_COUNTER_SLOTS = 7;

    /**
     * Uploads one processor's power-management data ({@code XENPF_set_processor_pminfo}).
     *
     * <p>The structure is passed as its bytes, encoded by the caller with the ABI flyweights; its
     * one guest handle ({@code u.power.states}, {@code u.perf.states} or {@code u.pdc}) is left
     * zero and the array it points to is passed separately, because only the HAL knows where that
     * array will live (the Linux HAL copies it to native memory and patches the handle). The
     * {@code dp} handles of {@code xen_processor_cx} entries must be zero, as Linux leaves them.
     *
     * @param pminfo       bytes of {@code struct xenpf_set_processor_pminfo} (x86_64 layout)
     * @param pminfoOffset offset of the structure in {@code pminfo}
     * @param pminfoLength length of the structure
     * @param states       the array the guest handle points to: {@code xen_processor_cx} or
     *                     {@code xen_processor_px} entries, or the {@code _PDC} words
     * @param statesOffset offset of the array in {@code states}
     * @param statesLength length of the array in bytes; may be 0
     * @throws XenHalException naming the ACPI processor id, with the hypervisor's errno
     */
    void setProcessorPmInfo(
        DirectBuffer pminfo, int pminfoOffset, int pminfoLength,
        DirectBuffer states, int statesOffset, int statesLength);

    /**
     * Reads the idle time of physical CPUs ({@code XENPF_getidletime}): for each CPU asked about
     * that reported, the nanoseconds of Xen system time it has spent idle since boot, and the
     * system time of the snapshot, so that two readings give each CPU's idle fraction.
     *
     * <p>Like the hypercall, {@code cpus} is both the question and the answer: on return only the
     * CPUs that reported are set. Xen leaves out offline CPUs and CPUs with no idle time yet; their
     * entries in {@code idleNanos} are left as they were. Xen answers {@code ENOSYS} unless it was
     * booted with {@code cpufreq=dom0-kernel}.
     *
     * @param cpus      IN: the CPUs to ask about, each below {@code idleNanos.length}; OUT: the
     *                  subset that reported
     * @param idleNanos OUT: {@code idleNanos[cpu]} is the idle time of each CPU that reported, in
     *                  nanoseconds; its length (1..{@value #MAX_IDLE_CPUS}) is the bitmap's size
     * @return the Xen system time of the snapshot in nanoseconds ({@code now})
     * @throws IllegalArgumentException if {@code idleNanos} is empty or longer than
     *                                  {@value #MAX_IDLE_CPUS}, or {@code cpus} has a bit at or
     *                                  above its length
     * @throws XenHalException          naming the operation, with the hypervisor's errno
     *                                  ({@code ENOSYS}: no {@code cpufreq=dom0-kernel})
     * @throws UnsupportedServiceException from backends that do not implement it (this default)
     */
    default long idleTimes(final BitSet cpus, final long[] idleNanos) {
        // A default so that test doubles written as lambdas for the upload keep compiling; the
        // domain is unknown here, hence DOMID_SELF.
        throw new UnsupportedServiceException(XenService.PLATFORM_OPS, getClass().getName(), Xen.DOMID_SELF,
            "XENPF_getidletime is not implemented by this backend");
    }

    /**
     * Reads a physical CPU's C-state statistics ({@code XEN_SYSCTL_get_pmstat}: first
     * {@code PMSTAT_get_max_cx} for the number of states, then {@code PMSTAT_get_cxstat} with
     * arrays of that size, as libxc's {@code xc_pm_get_cxstat} does), with
     * {@value #PACKAGE_COUNTER_SLOTS} package and {@value #CORE_COUNTER_SLOTS} core counter slots.
     *
     * @param cpu the physical CPU, 0 or more
     * @return the statistics; no states at all when the hypervisor has no C-state data for it
     * @throws IllegalArgumentException if {@code cpu} is negative
     * @throws XenHalException          naming the operation and the CPU, with the hypervisor's errno
     *                                  ({@code EINVAL}: no such CPU or it is offline; {@code ENODEV}:
     *                                  Xen does not manage C-states; {@code EACCES}: a sysctl
     *                                  interface version other than Xen 4.17's; {@code EPERM}: not
     *                                  the control domain)
     * @throws UnsupportedServiceException from backends that do not implement it (this default)
     */
    default CxStatistics cxStatistics(final int cpu) {
        throw new UnsupportedServiceException(XenService.PLATFORM_OPS, getClass().getName(), Xen.DOMID_SELF,
            "XEN_SYSCTL_get_pmstat is not implemented by this backend");
    }

    /**
     * Reads a physical CPU's P-state statistics ({@code XEN_SYSCTL_get_pmstat}: first
     * {@code PMSTAT_get_max_px}, then {@code PMSTAT_get_pxstat} with a transition table and a
     * state array of that size, as libxc's {@code xc_pm_get_pxstat} does).
     *
     * @param cpu the physical CPU, 0 or more
     * @return the statistics
     * @throws IllegalArgumentException if {@code cpu} is negative
     * @throws XenHalException          naming the operation and the CPU, with the hypervisor's errno
     *                                  ({@code ENODEV}: Xen runs no cpufreq driver, as with
     *                                  {@code cpufreq=dom0-kernel} or {@code none}; {@code EINVAL}: no
     *                                  such CPU, it is offline or dom0 uploaded no P-states for it;
     *                                  {@code ENODATA}: no statistics kept yet)
     * @throws UnsupportedServiceException from backends that do not implement it (this default)
     */
    default PxStatistics pxStatistics(final int cpu) {
        throw new UnsupportedServiceException(XenService.PLATFORM_OPS, getClass().getName(), Xen.DOMID_SELF,
            "XEN_SYSCTL_get_pmstat is not implemented by this backend");
    }

    /**
     * Resets a physical CPU's P-state statistics ({@code PMSTAT_reset_pxstat}): residencies,
     * counts and transitions start again from zero.
     *
     * @param cpu the physical CPU, 0 or more
     * @throws IllegalArgumentException if {@code cpu} is negative
     * @throws XenHalException          as {@link #pxStatistics} does
     * @throws UnsupportedServiceException from backends that do not implement it (this default)
     */
    default void resetPxStatistics(final int cpu) {
        throw new UnsupportedServiceException(XenService.PLATFORM_OPS, getClass().getName(), Xen.DOMID_SELF,
            "XEN_SYSCTL_get_pmstat is not implemented by this backend");
    }

    /**
     * Checks a CPU argument of the statistics methods as every backend must before asking.
     *
     * @param cpu the physical CPU
     * @return {@code cpu}
     * @throws IllegalArgumentException if it is negative
     */
    static int checkCpu(final int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu=" + cpu + ": physical cpus are numbered from 0");
        }
        return cpu;
    }

    /**
     * Checks the arguments of {@link #idleTimes} as every backend must before asking the
     * hypervisor.
     *
     * @param cpus      the CPUs to ask about
     * @param idleNanos the array of idle times
     * @throws IllegalArgumentException naming the length or the first CPU out of range
     */
    static void checkIdleTimesArguments(final BitSet cpus, final long[] idleNanos) {
        if (idleNanos.length == 0 || idleNanos.length > MAX_IDLE_CPUS) {
            throw new IllegalArgumentException("idleNanos.length=" + idleNanos.length + ": need 1.." + MAX_IDLE_CPUS);
        }
        if (cpus.length() > idleNanos.length) {
            throw new IllegalArgumentException("cpu=" + (cpus.length() - 1) + " is not below idleNanos.length="
                + idleNanos.length);
        }
    }
}
