package io.xen4j.hal.memory;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the simulated hypervisor keeps for one domain: its memory, grant table, ports, vCPU timers
 * and the hosts (open device sets) of the programs running in it. Guarded by the hypervisor lock.
 */
final class DomainCore {
    final Hypervisor hv;
    final int domid;
    final DomainConfig config;
    final Physmap memory;
    final GrantTableState grants;
    final PortTable ports;
    final @Nullable SimTimer[] vcpuTimers;
    final List<SimHost> hosts = new ArrayList<>();
    final SimulatedDomain view;
    final SimHost firstHost;
    DomainState state = DomainState.RUNNING;
    /** Pages of this domain other domains map; a destroyed domain stays dying until 0. */
    long heldByOthers;
    /** Grant and foreign mappings this domain has open, for the resource counts. */
    long grantMappings;
    long foreignMappings;

    DomainCore(final Hypervisor hv, final int domid, final DomainConfig config, final int grantEntries, final int ports) {
        this.hv = hv;
        this.domid = domid;
        this.config = config;
        this.memory = new Physmap(hv, config.maxPages(), config.initialPages());
        this.grants = new GrantTableState(grantEntries);
        this.ports = new PortTable(ports);
        this.vcpuTimers = new SimTimer[config.vcpus()];
        this.view = new SimulatedDomain(this);
        this.firstHost = new SimHost(this, null);
        hosts.add(firstHost);
    }

    boolean running() {
        return state == DomainState.RUNNING;
    }

    int pendingTimers() {
        int n = 0;
        for (final SimTimer t : vcpuTimers) {
            if (t != null) {
                n++;
            }
        }
        return n;
    }

    long openHandles() {
        long n = 0;
        for (final SimHost h : hosts) {
            n += h.handleCount();
        }
        return n;
    }

    ResourceCounts resources() {
        if (state == DomainState.DEAD) {
            return ResourceCounts.ZERO;
        }
        return new ResourceCounts(grants.allocatedRefs(), grants.pinnedRefs(), grantMappings, foreignMappings,
            ports.bound(), pendingTimers(), openHandles(), memory.allocatedCount());
    }

    @Override
    public String toString() {
        return "dom" + domid + " (" + config.name() + ", " + state + ")";
    }
}
