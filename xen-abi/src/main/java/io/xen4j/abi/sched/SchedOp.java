package io.xen4j.abi.sched;

/**
 * Constants of {@code xen/sched.h}: the operations of {@code HYPERVISOR_sched_op} and the shutdown
 * reasons. C's lower-case {@code SHUTDOWN_poweroff} is {@code SHUTDOWN_POWEROFF} here.
 */
public final class SchedOp {
    // Operations of HYPERVISOR_sched_op; C spells them SCHEDOP_name.
    /** Gives up the CPU voluntarily. */
    public static final int SCHEDOP_YIELD = 0;
    /** Blocks the vCPU until an event is pending for it. */
    public static final int SCHEDOP_BLOCK = 1;
    /** Stops the calling domain ({@code sched_shutdown}). */
    public static final int SCHEDOP_SHUTDOWN = 2;
    /** Blocks until one of a set of ports is pending or a timeout passes. */
    public static final int SCHEDOP_POLL = 3;
    /** Stops another domain (privileged). */
    public static final int SCHEDOP_REMOTE_SHUTDOWN = 4;
    /** Records a shutdown reason to act on later ({@code sched_shutdown}). */
    public static final int SCHEDOP_SHUTDOWN_CODE = 5;
    /** Sets up, kicks or stops a domain watchdog. */
    public static final int SCHEDOP_WATCHDOG = 6;
    /** Pins the vCPU to a physical CPU for a while (dom0). */
    public static final int SCHEDOP_PIN_OVERRIDE = 7;

    // Shutdown reasons of sched_shutdown.reason; C spells them SHUTDOWN_name.
    /** Shutdown reason 0: the domain exited normally: clean up and kill. */
    public static final int SHUTDOWN_POWEROFF = 0;
    /** Shutdown reason 1: clean up, kill and restart. */
    public static final int SHUTDOWN_REBOOT = 1;
    /** Shutdown reason 2: clean up, save the suspend state, kill. */
    public static final int SHUTDOWN_SUSPEND = 2;
    /** Shutdown reason 3: the domain crashed. */
    public static final int SHUTDOWN_CRASH = 3;
    /** Shutdown reason 4: restart because the watchdog expired. */
    public static final int SHUTDOWN_WATCHDOG = 4;
    /** Shutdown reason 5: reset the domain in place (kexec), keeping its memory. */
    public static final int SHUTDOWN_SOFT_RESET = 5;
    /** The highest valid shutdown reason. */
    public static final int SHUTDOWN_MAX = 5;

    private SchedOp() {
    }
}
