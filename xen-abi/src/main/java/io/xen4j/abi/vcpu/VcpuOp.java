package io.xen4j.abi.vcpu;

/**
 * Constants of {@code xen/vcpu.h}: the operations of {@code HYPERVISOR_vcpu_op}, the one-shot timer
 * flag and the runstates. C's lower-case {@code VCPUOP_set_singleshot_timer} is
 * {@code VCPUOP_SET_SINGLESHOT_TIMER} here.
 */
public final class VcpuOp {
    // Operations of HYPERVISOR_vcpu_op; C spells them VCPUOP_name.
    /** Initialises a vCPU from a {@code vcpu_guest_context} (PV) or {@code vcpu_hvm_context}. */
    public static final int VCPUOP_INITIALISE = 0;
    /** Makes an initialised vCPU runnable. */
    public static final int VCPUOP_UP = 1;
    /** Makes a vCPU non-runnable. */
    public static final int VCPUOP_DOWN = 2;
    /** Returns 1 if the vCPU is up. */
    public static final int VCPUOP_IS_UP = 3;
    /** Copies the vCPU's {@code vcpu_runstate_info}. */
    public static final int VCPUOP_GET_RUNSTATE_INFO = 4;
    /** Registers a guest area the hypervisor keeps the runstate in. */
    public static final int VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA = 5;
    /** Sets the vCPU's periodic timer ({@code vcpu_set_periodic_timer}). */
    public static final int VCPUOP_SET_PERIODIC_TIMER = 6;
    /** Stops the vCPU's periodic timer. */
    public static final int VCPUOP_STOP_PERIODIC_TIMER = 7;
    /** Sets the vCPU's one-shot timer ({@code vcpu_set_singleshot_timer}). */
    public static final int VCPUOP_SET_SINGLESHOT_TIMER = 8;
    /** Stops the vCPU's one-shot timer. */
    public static final int VCPUOP_STOP_SINGLESHOT_TIMER = 9;
    /** Moves the vCPU's {@code vcpu_info} to a guest page ({@code vcpu_register_vcpu_info}). */
    public static final int VCPUOP_REGISTER_VCPU_INFO = 10;
    /** Sends an NMI to the vCPU. */
    public static final int VCPUOP_SEND_NMI = 11;
    /** Returns the physical CPU ids of a pinned vCPU. */
    public static final int VCPUOP_GET_PHYSID = 12;
    /** Registers a secondary copy of the vCPU's {@code vcpu_time_info}. */
    public static final int VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA = 13;

    /**
     * {@code vcpu_set_singleshot_timer.flags}: fail with {@code -ETIME} if the timeout has passed (the
     * hypervisor may ignore it).
     */
    public static final int VCPU_SSHOTTMR_FUTURE = 1;

    // Runstates of vcpu_runstate_info.state; C spells them RUNSTATE_name.
    /** The vCPU runs on a physical CPU. */
    public static final int RUNSTATE_RUNNING = 0;
    /** The vCPU is runnable but not scheduled. */
    public static final int RUNSTATE_RUNNABLE = 1;
    /** The vCPU is blocked (idle). */
    public static final int RUNSTATE_BLOCKED = 2;
    /** The vCPU is neither runnable nor blocked (hotplug, paused). */
    public static final int RUNSTATE_OFFLINE = 3;
    /**
     * Bit of {@code vcpu_runstate_info.state_entry_time} set while the hypervisor updates a registered
     * runstate area.
     */
    public static final long XEN_RUNSTATE_UPDATE = 1L << 63;

    private VcpuOp() {
    }
}
