package io.xen4j.abi;

/**
 * Constants of {@code xen/xen.h}: hypercall numbers, reserved domain ids, virtual interrupts and
 * the x86 vCPU limit of {@code shared_info}. C's {@code __HYPERVISOR_name} is
 * {@code HYPERVISOR_NAME} here.
 */
public final class Xen {
    // Hypercall numbers, __HYPERVISOR_* in C.
    /** Hypercall 0: installs a PV guest's virtual IDT. */
    public static final int HYPERVISOR_SET_TRAP_TABLE = 0;
    /** Hypercall 1: updates page-table entries or the machine-to-physical table. */
    public static final int HYPERVISOR_MMU_UPDATE = 1;
    /** Hypercall 2: installs a PV guest's GDT. */
    public static final int HYPERVISOR_SET_GDT = 2;
    /** Hypercall 3: sets the kernel stack of a PV guest. */
    public static final int HYPERVISOR_STACK_SWITCH = 3;
    /** Hypercall 4: sets a PV guest's event and failsafe callbacks (x86_32). */
    public static final int HYPERVISOR_SET_CALLBACKS = 4;
    /** Hypercall 5: sets or clears CR0.TS. */
    public static final int HYPERVISOR_FPU_TASKSWITCH = 5;
    /** Hypercall 6: the scheduler operation before interface 0x00030101. */
    public static final int HYPERVISOR_SCHED_OP_COMPAT = 6;
    /** Hypercall 7: platform operations of the control domain (ACPI, microcode, time). */
    public static final int HYPERVISOR_PLATFORM_OP = 7;
    /** Hypercall 8: sets a debug register. */
    public static final int HYPERVISOR_SET_DEBUGREG = 8;
    /** Hypercall 9: reads a debug register. */
    public static final int HYPERVISOR_GET_DEBUGREG = 9;
    /** Hypercall 10: updates a GDT or LDT descriptor. */
    public static final int HYPERVISOR_UPDATE_DESCRIPTOR = 10;
    /** Hypercall 12: memory reservation and physmap operations ({@code XENMEM_*}). */
    public static final int HYPERVISOR_MEMORY_OP = 12;
    /** Hypercall 13: runs a batch of hypercalls. */
    public static final int HYPERVISOR_MULTICALL = 13;
    /** Hypercall 14: updates one page-table entry by virtual address. */
    public static final int HYPERVISOR_UPDATE_VA_MAPPING = 14;
    /** Hypercall 15: sets the one-shot timer of the calling vCPU. */
    public static final int HYPERVISOR_SET_TIMER_OP = 15;
    /** Hypercall 16: the event channel operation before interface 0x00030202. */
    public static final int HYPERVISOR_EVENT_CHANNEL_OP_COMPAT = 16;
    /** Hypercall 17: queries the hypervisor's version and features. */
    public static final int HYPERVISOR_XEN_VERSION = 17;
    /** Hypercall 18: reads or writes the hypervisor console. */
    public static final int HYPERVISOR_CONSOLE_IO = 18;
    /** Hypercall 19: the physical device operation before interface 0x00030202. */
    public static final int HYPERVISOR_PHYSDEV_OP_COMPAT = 19;
    /** Hypercall 20: grant table operations ({@code GNTTABOP_*}). */
    public static final int HYPERVISOR_GRANT_TABLE_OP = 20;
    /** Hypercall 21: enables or disables a VM assist ({@code VMASST_TYPE_*}). */
    public static final int HYPERVISOR_VM_ASSIST = 21;
    /** Hypercall 22: updates a page-table entry mapping another domain's page. */
    public static final int HYPERVISOR_UPDATE_VA_MAPPING_OTHERDOMAIN = 22;
    /** Hypercall 23: returns from an exception in a PV guest (x86 only). */
    public static final int HYPERVISOR_IRET = 23;
    /** Hypercall 24: vCPU operations ({@code VCPUOP_*}). */
    public static final int HYPERVISOR_VCPU_OP = 24;
    /** Hypercall 25: sets a segment base of a PV guest (x86_64 only). */
    public static final int HYPERVISOR_SET_SEGMENT_BASE = 25;
    /** Hypercall 26: extended MMU operations (pinning, TLB flushes, LDT). */
    public static final int HYPERVISOR_MMUEXT_OP = 26;
    /** Hypercall 27: xen Security Module operations. */
    public static final int HYPERVISOR_XSM_OP = 27;
    /** Hypercall 28: registers an NMI callback. */
    public static final int HYPERVISOR_NMI_OP = 28;
    /** Hypercall 29: scheduler operations ({@code SCHEDOP_*}). */
    public static final int HYPERVISOR_SCHED_OP = 29;
    /** Hypercall 30: registers or unregisters callbacks. */
    public static final int HYPERVISOR_CALLBACK_OP = 30;
    /** Hypercall 31: profiling operations. */
    public static final int HYPERVISOR_XENOPROF_OP = 31;
    /** Hypercall 32: event channel operations ({@code EVTCHNOP_*}). */
    public static final int HYPERVISOR_EVENT_CHANNEL_OP = 32;
    /** Hypercall 33: physical device operations ({@code PHYSDEVOP_*}). */
    public static final int HYPERVISOR_PHYSDEV_OP = 33;
    /** Hypercall 34: hVM operations ({@code HVMOP_*}). */
    public static final int HYPERVISOR_HVM_OP = 34;
    /** Hypercall 35: system control operations of the toolstack. */
    public static final int HYPERVISOR_SYSCTL = 35;
    /** Hypercall 36: domain control operations of the toolstack. */
    public static final int HYPERVISOR_DOMCTL = 36;
    /** Hypercall 37: kexec operations. */
    public static final int HYPERVISOR_KEXEC_OP = 37;
    /** Hypercall 38: transcendent memory operations (removed from the hypervisor). */
    public static final int HYPERVISOR_TMEM_OP = 38;
    /** Hypercall 39: argo inter-domain messaging operations. */
    public static final int HYPERVISOR_ARGO_OP = 39;
    /** Hypercall 40: performance monitoring unit operations. */
    public static final int HYPERVISOR_XENPMU_OP = 40;
    /** Hypercall 41: device model operations. */
    public static final int HYPERVISOR_DM_OP = 41;
    /** Hypercall 42: hypervisor file system operations. */
    public static final int HYPERVISOR_HYPFS_OP = 42;
    /** Architecture-specific hypercall 48 ({@code __HYPERVISOR_mca} on x86). */
    public static final int HYPERVISOR_ARCH_0 = 48;
    /** Architecture-specific hypercall 49. */
    public static final int HYPERVISOR_ARCH_1 = 49;
    /** Architecture-specific hypercall 50. */
    public static final int HYPERVISOR_ARCH_2 = 50;
    /** Architecture-specific hypercall 51. */
    public static final int HYPERVISOR_ARCH_3 = 51;
    /** Architecture-specific hypercall 52. */
    public static final int HYPERVISOR_ARCH_4 = 52;
    /** Architecture-specific hypercall 53. */
    public static final int HYPERVISOR_ARCH_5 = 53;
    /** Architecture-specific hypercall 54. */
    public static final int HYPERVISOR_ARCH_6 = 54;
    /** Architecture-specific hypercall 55. */
    public static final int HYPERVISOR_ARCH_7 = 55;

    // Reserved domain ids (domid_t).
    /** Domain ids from here up are reserved, never ordinary domains. */
    public static final int DOMID_FIRST_RESERVED = 0x7FF0;
    /** The calling domain, where an operation takes a domain id. */
    public static final int DOMID_SELF = 0x7FF0;
    /** Restricts page-table updates to I/O memory ({@code mmu_update}'s foreigndom). */
    public static final int DOMID_IO = 0x7FF1;
    /** Lets a privileged domain map restricted parts of Xen's heap. */
    public static final int DOMID_XEN = 0x7FF2;
    /** Owner of sharable (copy-on-write) pages. */
    public static final int DOMID_COW = 0x7FF3;
    /** Owner of pages whose owner is unknown; also "no domain". */
    public static final int DOMID_INVALID = 0x7FF4;
    /** The idle domain. */
    public static final int DOMID_IDLE = 0x7FFF;
    /** Mask of the valid bits of a domain id. */
    public static final int DOMID_MASK = 0x7FFF;

    // Virtual interrupts, bound with EVTCHNOP_bind_virq.
    /** Virtual interrupt 0. Per vCPU: timebase update and/or requested timeout. */
    public static final int VIRQ_TIMER = 0;
    /** Virtual interrupt 1. Per vCPU: request to dump debug information. */
    public static final int VIRQ_DEBUG = 1;
    /** Virtual interrupt 2. Global (dom0): bytes received on the emergency console. */
    public static final int VIRQ_CONSOLE = 2;
    /** Virtual interrupt 3. Global (dom0): exceptional event for some domain. */
    public static final int VIRQ_DOM_EXC = 3;
    /** Virtual interrupt 4. Global (dom0): the trace buffer has records available. */
    public static final int VIRQ_TBUF = 4;
    /** Virtual interrupt 6. Global (dom0): a domain has paused for debugging. */
    public static final int VIRQ_DEBUGGER = 6;
    /** Virtual interrupt 7. Per vCPU: a XenOprofile sample is available. */
    public static final int VIRQ_XENOPROF = 7;
    /** Virtual interrupt 8. Global (dom0): bytes received on the console. */
    public static final int VIRQ_CON_RING = 8;
    /** Virtual interrupt 9. Global (dom0): the state of a physical CPU changed. */
    public static final int VIRQ_PCPU_STATE = 9;
    /** Virtual interrupt 10. Global (dom0): a memory event has occurred. */
    public static final int VIRQ_MEM_EVENT = 10;
    /** Virtual interrupt 11. Global: Argo inter-domain message notification. */
    public static final int VIRQ_ARGO = 11;
    /** Virtual interrupt 12. Global (dom0): the hypervisor is low on heap memory. */
    public static final int VIRQ_ENOMEM = 12;
    /** Virtual interrupt 13. Per vCPU: performance counter interrupt. */
    public static final int VIRQ_XENPMU = 13;
    /** Architecture-specific virtual interrupt 16 ({@code VIRQ_MCA} on x86). */
    public static final int VIRQ_ARCH_0 = 16;
    /** Architecture-specific virtual interrupt 17. */
    public static final int VIRQ_ARCH_1 = 17;
    /** Architecture-specific virtual interrupt 18. */
    public static final int VIRQ_ARCH_2 = 18;
    /** Architecture-specific virtual interrupt 19. */
    public static final int VIRQ_ARCH_3 = 19;
    /** Architecture-specific virtual interrupt 20. */
    public static final int VIRQ_ARCH_4 = 20;
    /** Architecture-specific virtual interrupt 21. */
    public static final int VIRQ_ARCH_5 = 21;
    /** Architecture-specific virtual interrupt 22. */
    public static final int VIRQ_ARCH_6 = 22;
    /** Architecture-specific virtual interrupt 23. */
    public static final int VIRQ_ARCH_7 = 23;
    /** Number of virtual interrupt numbers. */
    public static final int NR_VIRQS = 24;

    /** vCPUs that have a {@code vcpu_info} in {@code shared_info} (x86). */
    public static final int XEN_LEGACY_MAX_VCPUS = 32;
    /** The old name of {@link #XEN_LEGACY_MAX_VCPUS}, gone from the public headers since Xen 3.4. */
    public static final int MAX_VIRT_CPUS = XEN_LEGACY_MAX_VCPUS;

    /** {@code vcpu_time_info.flags}: the TSC is stable across vCPUs. */
    public static final int XEN_PVCLOCK_TSC_STABLE_BIT = 1 << 0;
    /** {@code vcpu_time_info.flags}: the guest was stopped (paused or suspended). */
    public static final int XEN_PVCLOCK_GUEST_STOPPED = 1 << 1;

    private Xen() {
    }
}
