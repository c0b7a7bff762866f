package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import org.jspecify.annotations.Nullable;

/**
 * Event-channel operations of the simulated hypervisor, with the rules of
 * {@code xen/event_channel.h} and the delivery of the Linux evtchn device:
 *
 * <ul>
 *   <li>An unbound port names the one remote domain that may bind it; binding it connects both
 *   ends and sets the binder's port pending, as Xen does because notifications sent to the
 *   unbound port may have been lost.</li>
 *   <li>Sending on an interdomain port sets the peer's port pending; on an unbound port (peer not
 *   bound yet, or gone) it is silently dropped; on a VIRQ port it is {@code EINVAL}.</li>
 *   <li>Pending is one bit: sends while pending coalesce. An unmasked pending port is delivered:
 *   queued once to the owning evtchn device and masked, so it is not queued again until it is
 *   unmasked; unmasking a port that became pending meanwhile delivers it again.</li>
 *   <li>Closing an interdomain port returns the peer's port to unbound for this domain.</li>
 * </ul>
 *
 * Every method runs under the hypervisor lock.
 */
final class EventCore {
    private final Hypervisor hv;

    EventCore(final Hypervisor hv) {
        this.hv = hv;
    }

    private static String name(final DomainCore d, final int port) {
        return "dom" + d.domid + " port " + port;
    }

    private int allocate(final DomainCore d, final String op) {
        final int port = d.ports.allocate();
        if (port < 0) {
            throw new XenHalException(op, Errno.ENOSPC, "dom" + d.domid + " has no free port of " + (d.ports.size - 1));
        }
        return port;
    }

    private DomainCore remote(final DomainCore d, final int remoteDomid, final String op) {
        final int id = remoteDomid == Xen.DOMID_SELF ? d.domid : remoteDomid;
        final DomainCore r = hv.running(id);
        if (r == null) {
            throw new XenHalException(op, Errno.ESRCH, "dom" + id + " does not exist or is dying");
        }
        return r;
    }

    int allocUnbound(final DomainCore d, final int remoteDomid, final SimEventChannel owner) {
        final String op = "allocate unbound port of dom" + d.domid + " for dom" + remoteDomid;
        // As EVTCHNOP_alloc_unbound: the remote domain is recorded, not looked up (seen on Xen 4.17:
        // a port for a domain that does not exist yet is allocated; only that domid may bind it).
        final int remote = remoteDomid == Xen.DOMID_SELF ? d.domid : remoteDomid;
        final int port = allocate(d, op);
        final PortTable t = d.ports;
        t.state[port] = PortTable.UNBOUND;
        t.remoteDomid[port] = remote;
        t.owner[port] = owner;
        return port;
    }

    int bindInterdomain(final DomainCore d, final int remoteDomid, final int remotePort, final SimEventChannel owner) {
        final String op = "bind interdomain dom" + d.domid + " to dom" + remoteDomid + " port " + remotePort;
        final DomainCore r = remote(d, remoteDomid, op);
        final PortTable rt = r.ports;
        if (!rt.valid(remotePort)) {
            throw new XenHalException(op, Errno.EINVAL, "port " + remotePort + " is outside dom" + r.domid
                + "'s ports 1.." + (rt.size - 1));
        }
        if (rt.state[remotePort] != PortTable.UNBOUND) {
            throw new XenHalException(op, Errno.EINVAL, name(r, remotePort) + " is "
                + PortTable.stateName(rt.state[remotePort]) + ", not unbound");
        }
        if (rt.remoteDomid[remotePort] != d.domid) {
            throw new XenHalException(op, Errno.EINVAL, name(r, remotePort) + " is unbound for dom"
                + rt.remoteDomid[remotePort] + ", not dom" + d.domid);
        }
        final int port = allocate(d, op);
        final PortTable t = d.ports;
        t.state[port] = PortTable.INTERDOMAIN;
        t.remoteDomid[port] = r.domid;
        t.remotePort[port] = remotePort;
        t.owner[port] = owner;
        rt.state[remotePort] = PortTable.INTERDOMAIN;
        rt.remotePort[remotePort] = port;
        // Xen: "we may have lost notifications on the remote unbound port", so it conservatively
        // sets the new local port pending.
        setPending(d, port);
        return port;
    }

    int bindVirq(final DomainCore d, final int virq, final SimEventChannel owner) {
        final String op = "bind VIRQ " + virq + " in dom" + d.domid;
        if (virq < 0 || virq >= Xen.NR_VIRQS) {
            throw new XenHalException(op, Errno.EINVAL, "VIRQs are 0.." + (Xen.NR_VIRQS - 1));
        }
        final PortTable t = d.ports;
        if (t.virqPort[virq] != 0) {
            throw new XenHalException(op, Errno.EEXIST, "already bound to port " + t.virqPort[virq]);
        }
        final int port = allocate(d, op);
        t.state[port] = PortTable.VIRQ;
        t.virq[port] = virq;
        t.remoteDomid[port] = d.domid;
        t.owner[port] = owner;
        t.virqPort[virq] = port;
        return port;
    }

    /** Closes a port ({@code EVTCHNOP_close}). */
    void close(final DomainCore d, final int port) {
        final PortTable t = d.ports;
        final SimEventChannel owner = t.owner[port];
        switch (t.state[port]) {
            case PortTable.INTERDOMAIN -> {
                final DomainCore r = hv.domain(t.remoteDomid[port]);
                final int rp = t.remotePort[port];
                if (r != null && r.ports.state[rp] == PortTable.INTERDOMAIN
                    && r.ports.remoteDomid[rp] == d.domid && r.ports.remotePort[rp] == port) {
                    r.ports.state[rp] = PortTable.UNBOUND;
                    r.ports.remotePort[rp] = 0;
                }
            }
            case PortTable.VIRQ -> t.virqPort[t.virq[port]] = 0;
            default -> {
            }
        }
        t.free(port);
        if (owner != null) {
            owner.channels.dequeue(port);
        }
    }

    /** Closes every port of a destroyed domain. */
    void destroyPorts(final DomainCore d) {
        for (int p = 1; p < d.ports.size; p++) {
            if (d.ports.state[p] != PortTable.FREE) {
                close(d, p);
            }
        }
    }

    /**
     * Sends on a port ({@code EVTCHNOP_send}), subject to the notification faults.
     *
     * @param op what the caller does, for messages
     */
    void send(final DomainCore d, final int port, final String op) {
        final PortTable t = d.ports;
        switch (t.state[port]) {
            case PortTable.INTERDOMAIN -> {
                final DomainCore r = hv.domain(t.remoteDomid[port]);
                if (r == null) {
                    return;
                }
                final int rp = t.remotePort[port];
                deliverWithFaults(d, port, r, rp);
            }
            case PortTable.UNBOUND -> {
                // Xen drops a send on an unbound port without error.
            }
            case PortTable.VIRQ -> throw new XenHalException(op, Errno.EINVAL,
                name(d, port) + " is bound to VIRQ " + t.virq[port] + ", which has no peer to notify");
            default -> throw new XenHalException(op, Errno.EINVAL, name(d, port) + " is closed");
        }
    }

    private void deliverWithFaults(final DomainCore d, final int port, final DomainCore r, final int rp) {
        final FaultInjector f = hv.faults;
        if (f.enabled()) {
            final String what = "notify " + name(d, port) + " -> " + name(r, rp);
            FaultRule rule = f.check(FaultKind.DROP_NOTIFICATION, d.domid);
            if (rule != null) {
                f.record(hv.now(), rule, d.domid, what + " dropped");
                return;
            }
            rule = f.check(FaultKind.DELAY_NOTIFICATION, d.domid);
            if (rule != null) {
                final long due = hv.now() + rule.parameter();
                f.record(hv.now(), rule, d.domid, what + " delayed by " + rule.parameter() + "ns to t=" + due + "ns");
                final SimEventChannel owner = r.ports.owner[rp];
                if (owner != null) {
                    hv.add(new DelayedEvent(due, hv.nextSeq(), r, rp, owner));
                }
                return;
            }
            if (r.domid != 0 && r.domid != d.domid) {
                rule = f.check(FaultKind.DESTROY_DOMAIN, d.domid);
                if (rule != null) {
                    f.record(hv.now(), rule, d.domid, what + ": dom" + r.domid + " destroyed before delivery");
                    hv.destroy(r, "fault injected during a notification from dom" + d.domid);
                    return;
                }
            }
            rule = f.check(FaultKind.DUPLICATE_NOTIFICATION, d.domid);
            if (rule != null) {
                f.record(hv.now(), rule, d.domid, what + " duplicated: delivered again after the next unmask");
                setPending(r, rp);
                // The copy arrives after the first delivery, so it waits behind the mask.
                setPending(r, rp);
                return;
            }
        }
        setPending(r, rp);
    }

    /** Sets a port pending and, if it is not masked, delivers it. */
    void setPending(final DomainCore d, final int port) {
        final PortTable t = d.ports;
        if (t.state[port] == PortTable.FREE || t.pending[port]) {
            return;
        }
        t.pending[port] = true;
        if (!t.masked[port]) {
            deliver(d, port);
        }
    }

    private static void deliver(final DomainCore d, final int port) {
        final PortTable t = d.ports;
        final SimEventChannel owner = t.owner[port];
        t.pending[port] = false;
        t.masked[port] = true;
        if (owner != null) {
            owner.channels.enqueue(port);
        }
    }

    /** Unmasks a port; one that became pending while masked is delivered again. */
    void unmask(final DomainCore d, final int port) {
        final PortTable t = d.ports;
        t.masked[port] = false;
        if (t.pending[port]) {
            deliver(d, port);
        }
    }

    /** Raises a VIRQ on a domain, if it bound it. */
    boolean raiseVirq(final DomainCore d, final int virq) {
        if (virq < 0 || virq >= Xen.NR_VIRQS) {
            throw new IllegalArgumentException("virq=" + virq + ": VIRQs are 0.." + (Xen.NR_VIRQS - 1));
        }
        final int port = d.ports.virqPort[virq];
        if (port == 0) {
            return false;
        }
        setPending(d, port);
        return true;
    }

    /** A notification held back by {@link FaultKind#DELAY_NOTIFICATION}. */
    static final class DelayedEvent extends Hypervisor.Scheduled {
        private final DomainCore target;
        private final int port;
        private final SimEventChannel owner;

        DelayedEvent(final long due, final long seq, final DomainCore target, final int port, final SimEventChannel owner) {
            super(due, seq);
            this.target = target;
            this.port = port;
            this.owner = owner;
        }

        @Override
        @Nullable Runnable fire(final Hypervisor hv) {
            // Delivered only if the port is still the same binding; a closed port loses it.
            if (target.running() && target.ports.owner[port] == owner) {
                hv.events.setPending(target, port);
            }
            return null;
        }
    }
}
