package io.xen4j.hal.memory;

/**
 * One fault the simulated host injected.
 *
 * @param sequence  its number in the run, from 1
 * @param timeNanos the simulated Xen time when it was injected
 * @param kind      what was injected
 * @param actor     the domain whose operation it hit
 * @param rule      the rule that fired
 * @param detail    what happened, naming domains, ports and references
 */
public record InjectedFault(long sequence, long timeNanos, FaultKind kind, int actor, FaultRule rule, String detail) {
    @Override
    public String toString() {
        return "#" + sequence + " t=" + timeNanos + "ns " + kind + " on dom" + actor + ": " + detail;
    }
}
