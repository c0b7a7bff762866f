package io.xen4j.abi.platform;

/**
 * Constants of {@code xen/platform.h}: the {@code platform_op} commands, the interface version,
 * and the values of the ACPI processor power-management upload ({@code XENPF_set_processor_pminfo}).
 */
public final class Xenpf {
    /** The {@code interface_version} every {@code xen_platform_op} carries. */
    public static final int XENPF_INTERFACE_VERSION = 0x03000001;

    /** Command: set the wall clock, 32-bit seconds. */
    public static final int XENPF_SETTIME32 = 17;
    /** Command: set the wall clock, 64-bit seconds. */
    public static final int XENPF_SETTIME64 = 62;
    /** Command: set the MTRR type of a machine frame range (x86). */
    public static final int XENPF_ADD_MEMTYPE = 31;
    /** Command: remove an MTRR setting (x86). */
    public static final int XENPF_DEL_MEMTYPE = 32;
    /** Command: read an MTRR setting (x86). */
    public static final int XENPF_READ_MEMTYPE = 33;
    /** Command: load a microcode update. */
    public static final int XENPF_MICROCODE_UPDATE = 35;
    /** Command: set a platform quirk. */
    public static final int XENPF_PLATFORM_QUIRK = 39;
    /** Command: call an EFI runtime service. */
    public static final int XENPF_EFI_RUNTIME_CALL = 49;
    /** Command: read firmware information (EDD, EDID, EFI). */
    public static final int XENPF_FIRMWARE_INFO = 50;
    /** Command: enter an ACPI sleep state. */
    public static final int XENPF_ENTER_ACPI_SLEEP = 51;
    /** Command: change the frequency of a physical CPU. */
    public static final int XENPF_CHANGE_FREQ = 52;
    /** Command: read the idle time of physical CPUs. */
    public static final int XENPF_GETIDLETIME = 53;
    /** Command: upload the ACPI power-management data of a processor: {@link XenpfSetProcessorPminfo}. */
    public static final int XENPF_SET_PROCESSOR_PMINFO = 54;
    /** Command: read the information of a physical CPU (its ACPI id, APIC id, flags). */
    public static final int XENPF_GET_CPUINFO = 55;
    /** Command: read the version of a physical CPU. */
    public static final int XENPF_GET_CPU_VERSION = 48;
    /** Command: bring a physical CPU online. */
    public static final int XENPF_CPU_ONLINE = 56;
    /** Command: take a physical CPU offline. */
    public static final int XENPF_CPU_OFFLINE = 57;
    /** Command: hot-add a physical CPU. */
    public static final int XENPF_CPU_HOTADD = 58;
    /** Command: hot-add memory. */
    public static final int XENPF_MEM_HOTADD = 59;
    /** Command: set or get the number of parked cores. */
    public static final int XENPF_CORE_PARKING = 60;
    /** Command: run MSR reads and writes on a physical CPU. */
    public static final int XENPF_RESOURCE_OP = 61;
    /** Command: read a symbol of the hypervisor. */
    public static final int XENPF_GET_SYMBOL = 63;

    /** Ability bit: the hypervisor handles C-states. */
    public static final int XEN_PROCESSOR_PM_CX = 1;
    /** Ability bit: the hypervisor handles P-states. */
    public static final int XEN_PROCESSOR_PM_PX = 2;
    /** Ability bit: the hypervisor handles T-states. */
    public static final int XEN_PROCESSOR_PM_TX = 4;

    /** {@code xenpf_set_processor_pminfo.type}: C-states, {@code u.power}. */
    public static final int XEN_PM_CX = 0;
    /** {@code xenpf_set_processor_pminfo.type}: P-states, {@code u.perf}. */
    public static final int XEN_PM_PX = 1;
    /** {@code xenpf_set_processor_pminfo.type}: T-states (no member defined). */
    public static final int XEN_PM_TX = 2;
    /** {@code xenpf_set_processor_pminfo.type}: the {@code _PDC} buffer, {@code u.pdc}. */
    public static final int XEN_PM_PDC = 3;

    /**
     * {@code xen_processor_performance.flags}: {@code control_register} and {@code status_register}
     * ({@code _PCT}) are valid.
     */
    public static final int XEN_PX_PCT = 1;
    /** {@code xen_processor_performance.flags}: {@code states} ({@code _PSS}) is valid. */
    public static final int XEN_PX_PSS = 2;
    /** {@code xen_processor_performance.flags}: {@code platform_limit} ({@code _PPC}) is valid. */
    public static final int XEN_PX_PPC = 4;
    /** {@code xen_processor_performance.flags}: {@code domain_info} ({@code _PSD}) is valid. */
    public static final int XEN_PX_PSD = 8;

    /** {@code xen_processor_performance.shared_type}: the hardware coordinates. */
    public static final int XEN_CPUPERF_SHARED_TYPE_HW = 1;
    /** {@code xen_processor_performance.shared_type}: every dependent CPU must set the frequency. */
    public static final int XEN_CPUPERF_SHARED_TYPE_ALL = 2;
    /** {@code xen_processor_performance.shared_type}: any dependent CPU may set the frequency. */
    public static final int XEN_CPUPERF_SHARED_TYPE_ANY = 3;

    /*
     * struct xen_processor_flags is a C bit-field, so it has no macros: these masks of the 32-bit
     * word (bit 0 first, as GCC allocates on x86) are checked against the compiler by the spec.
     */

    /** {@code xen_processor_flags.bm_control}: bus-master arbitration control is available. */
    public static final int XEN_PROCESSOR_FLAG_BM_CONTROL = 1 << 0;
    /** {@code xen_processor_flags.bm_check}: bus-master activity must be checked before C3. */
    public static final int XEN_PROCESSOR_FLAG_BM_CHECK = 1 << 1;
    /** {@code xen_processor_flags.has_cst}: the C-states come from {@code _CST}. */
    public static final int XEN_PROCESSOR_FLAG_HAS_CST = 1 << 2;
    /** {@code xen_processor_flags.power_setup_done}: the C-state setup is complete. */
    public static final int XEN_PROCESSOR_FLAG_POWER_SETUP_DONE = 1 << 3;
    /** {@code xen_processor_flags.bm_rld_set}: the bus-master reload bit is set. */
    public static final int XEN_PROCESSOR_FLAG_BM_RLD_SET = 1 << 4;

    private Xenpf() {
    }
}
