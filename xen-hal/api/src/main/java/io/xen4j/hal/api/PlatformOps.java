package io.xen4j.hal.api;

import io.xen4j.abi.Xen;
import java.util.BitSet;
import org.agrona.DirectBuffer;

/**
 * Platform operations ({@code __HYPERVISOR_platform_op}) the control domain performs for the
 * hypervisor, which cannot parse ACPI itself: uploading processor power-management data (what
 * Linux's {@code xen-acpi-processor} does), and reading the hypervisor's per-CPU idle time.
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
