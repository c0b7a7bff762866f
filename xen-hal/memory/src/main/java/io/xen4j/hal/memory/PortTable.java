package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import org.jspecify.annotations.Nullable;

/**
 * A simulated domain's event-channel ports, as Xen keeps them: a state per port (free, unbound
 * for a named domain, interdomain, VIRQ), the pending and mask bits, and which
 * {@link SimEventChannel} (which open evtchn device) owns the port. Port 0 is never used.
 * Guarded by the hypervisor lock.
 */
final class PortTable {
    static final byte FREE = 0;
    static final byte UNBOUND = 1;
    static final byte INTERDOMAIN = 2;
    static final byte VIRQ = 3;

    final int size;
    final byte[] state;
    final int[] remoteDomid;
    final int[] remotePort;
    final int[] virq;
    final boolean[] pending;
    final boolean[] masked;
    final @Nullable SimEventChannel[] owner;
    final int[] virqPort = new int[Xen.NR_VIRQS];
    private int bound;

    PortTable(final int size) {
        this.size = size;
        state = new byte[size];
        remoteDomid = new int[size];
        remotePort = new int[size];
        virq = new int[size];
        pending = new boolean[size];
        masked = new boolean[size];
        owner = new SimEventChannel[size];
    }

    boolean valid(final int port) {
        return port > 0 && port < size;
    }

    /** The lowest free port, or -1 when all are in use. */
    int allocate() {
        for (int p = 1; p < size; p++) {
            if (state[p] == FREE) {
                bound++;
                return p;
            }
        }
        return -1;
    }

    void free(final int port) {
        if (state[port] != FREE) {
            bound--;
        }
        state[port] = FREE;
        remoteDomid[port] = 0;
        remotePort[port] = 0;
        virq[port] = -1;
        pending[port] = false;
        masked[port] = false;
        owner[port] = null;
    }

    int bound() {
        return bound;
    }

    static String stateName(final byte state) {
        return switch (state) {
            case FREE -> "closed";
            case UNBOUND -> "unbound";
            case INTERDOMAIN -> "interdomain";
            default -> "virq";
        };
    }
}
