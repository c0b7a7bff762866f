package io.xen4j.platform;

/**
 * The hypervisor a machine runs on, as far as Linux's files tell it.
 */
public enum Hypervisor {
    /** Xen: {@code /sys/hypervisor/type} is {@code xen}, {@code /proc/xen} exists or the Xen platform PCI device is present. */
    XEN,
    /** KVM: the {@code kvm-clock} clocksource, or DMI naming KVM. */
    KVM,
    /** Microsoft Hyper-V: DMI naming Microsoft with the CPU's hypervisor flag set. */
    HYPER_V,
    /** VMware: DMI naming VMware. */
    VMWARE,
    /** The CPU's hypervisor flag is set but nothing names the hypervisor. */
    OTHER,
    /** No sign of a hypervisor: bare metal, as far as the files tell. */
    NONE
}
