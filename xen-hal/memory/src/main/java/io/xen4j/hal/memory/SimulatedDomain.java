package io.xen4j.hal.memory;

import io.xen4j.hal.api.XenHost;
import java.util.Objects;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A domain of a {@link SimulatedXen}: its {@link XenHost} for the program under test, and what a
 * test needs to look inside: grant entries, port counts, held resources; and to act as the
 * toolstack: destroy it.
 */
public final class SimulatedDomain {
    private final DomainCore core;

    SimulatedDomain(final DomainCore core) {
        this.core = core;
    }

    /**
     * Its domain id.
     *
     * @return the id
     */
    public int domid() {
        return core.domid;
    }

    /**
     * Its name.
     *
     * @return the name from its configuration
     */
    public String name() {
        return core.config.name();
    }

    /**
     * How it was built.
     *
     * @return the configuration
     */
    public DomainConfig config() {
        return core.config;
    }

    /**
     * Where it is in its life.
     *
     * @return the state
     */
    public DomainState state() {
        core.hv.lock.lock();
        try {
            return core.state;
        } finally {
            core.hv.lock.unlock();
        }
    }

    /**
     * The host opened when the domain was created: what the program in it uses.
     *
     * @return the first host, which stays the same even after it is closed
     */
    public XenHost host() {
        return core.firstHost;
    }

    /**
     * Opens another host for the domain, as a second process opening the devices.
     *
     * @return a new host
     * @throws io.xen4j.hal.api.XenHalException if the domain is not running
     */
    public XenHost openHost() {
        core.hv.lock.lock();
        try {
            if (!core.running()) {
                throw new io.xen4j.hal.api.XenHalException("open a host in dom" + core.domid,
                    io.xen4j.hal.api.Errno.ESRCH, "dom" + core.domid + " is " + core.state);
            }
            final SimHost h = new SimHost(core, null);
            core.hosts.add(h);
            return h;
        } finally {
            core.hv.lock.unlock();
        }
    }

    /**
     * Destroys the domain, as {@code xl destroy} does: see {@link SimulatedXen#destroyDomain(int)}.
     */
    public void destroy() {
        core.hv.destroy(core, "destroyed by the test");
    }

    /**
     * One entry of its grant table as it is now.
     *
     * @param ref the reference
     * @return the entry
     * @throws IndexOutOfBoundsException if the table has no such entry
     */
    public GrantEntrySnapshot grantEntry(final int ref) {
        Objects.checkIndex(ref, core.grants.entries);
        return new GrantEntrySnapshot(ref, core.grants.flags(ref), core.grants.domid(ref), core.grants.frame(ref));
    }

    /**
     * Its raw grant table, {@code grant_entry_v1} after {@code grant_entry_v1}: for hostile-guest
     * tests that forge entries. Writes here are what a guest kernel could write; the simulated
     * hypervisor judges them as Xen would.
     *
     * @return the table
     */
    public AtomicBuffer grantTable() {
        return core.grants.table;
    }

    /**
     * How many entries its grant table has.
     *
     * @return the entry count
     */
    public int grantEntries() {
        return core.grants.entries;
    }

    /**
     * What it holds now.
     *
     * @return the counts; zero once it is dead
     */
    public ResourceCounts resources() {
        core.hv.lock.lock();
        try {
            return core.resources();
        } finally {
            core.hv.lock.unlock();
        }
    }

    /**
     * Pages it holds now (its current reservation).
     *
     * @return the page count
     */
    public long currentPages() {
        core.hv.lock.lock();
        try {
            return core.memory.populatedCount();
        } finally {
            core.hv.lock.unlock();
        }
    }

    /**
     * Whether one of its ports is pending (set, waiting to be delivered because it is masked).
     *
     * @param port the port
     * @return true if pending
     */
    public boolean portPending(final int port) {
        core.hv.lock.lock();
        try {
            return core.ports.valid(port) && core.ports.pending[port];
        } finally {
            core.hv.lock.unlock();
        }
    }

    /**
     * Whether one of its ports is masked.
     *
     * @param port the port
     * @return true if masked
     */
    public boolean portMasked(final int port) {
        core.hv.lock.lock();
        try {
            return core.ports.valid(port) && core.ports.masked[port];
        } finally {
            core.hv.lock.unlock();
        }
    }

    /**
     * The state of one of its ports, as {@code EVTCHNOP_status} names it.
     *
     * @param port the port
     * @return {@code "closed"}, {@code "unbound"}, {@code "interdomain"} or {@code "virq"}
     */
    public String portState(final int port) {
        core.hv.lock.lock();
        try {
            return core.ports.valid(port) ? PortTable.stateName(core.ports.state[port]) : "closed";
        } finally {
            core.hv.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
