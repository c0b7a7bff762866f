package io.xen4j.hal.api;

import org.agrona.DirectBuffer;

/**
 * Platform operations ({@code __HYPERVISOR_platform_op}) the control domain performs for the
 * hypervisor, which cannot parse ACPI itself: uploading processor power-management data (what
 * Linux's {@code xen-acpi-processor} does).
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
}
