package io.xen4j.hal.api;

/**
 * How a domain is virtualised ({@code /sys/hypervisor/guest_type} on Linux).
 */
public enum GuestType {
    /** Paravirtualised: no hardware virtualisation, the kernel runs on hypercalls. */
    PV,
    /** Fully virtualised with emulated devices, PV drivers optional. */
    HVM,
    /** Hardware virtualisation without emulated devices: PV drivers only. */
    PVH,
    /** Not running on Xen. */
    NONE
}
