package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.EventHandler;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import org.agrona.collections.IntArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * One simulated evtchn device: the ports it bound and the queue of delivered ports, which holds
 * each port at most once because a delivered port stays masked until unmasked.
 */
final class SimEventChannels implements EventChannels {
    final SimHost host;
    private final Hypervisor hv;
    private final Condition ready;
    private final IntArrayQueue queue = new IntArrayQueue(64, IntArrayQueue.DEFAULT_NULL_VALUE);
    // A port is in the queue at most once, even if its owner unmasks it before it is dispatched:
    // the queue is bounded by the number of ports, whatever the peer does (SECURITY-RULES R8).
    private final BitSet queued = new BitSet();
    // The queue's length, written under the lock and read without it: a poll that finds it 0 takes
    // no lock (an idle agent polls on every turn).
    private volatile int depth;
    private long stalledPolls;

    SimEventChannels(final SimHost host) {
        this.host = host;
        this.hv = host.hv;
        this.ready = hv.lock.newCondition();
    }

    /** Under the lock. */
    void enqueue(final int port) {
        if (!queued.get(port)) {
            queued.set(port);
            queue.addInt(port);
            depth = queue.size();
        }
        ready.signalAll();
    }

    /** Under the lock: forgets a closed port. */
    void dequeue(final int port) {
        queued.clear(port);
        final int n = queue.size();
        for (int i = 0; i < n; i++) {
            final int p = queue.pollInt();
            if (p != port) {
                queue.addInt(p);
            }
        }
        depth = queue.size();
    }

    int queued() {
        return queue.size();
    }

    private SimEventChannel bind(final EventChannel.Kind kind, final int remote, final int remotePort, final int virq,
        final EventHandler handler, final String op) {
        Objects.requireNonNull(handler, "handler");
        hv.lock.lock();
        try {
            host.checkUsable(op);
            final SimEventChannel ch = new SimEventChannel(this, handler, kind, remote, remotePort, virq);
            ch.port = switch (kind) {
                case UNBOUND -> hv.events.allocUnbound(host.domain, remote, ch);
                case INTERDOMAIN -> hv.events.bindInterdomain(host.domain, remote, remotePort, ch);
                case VIRQ -> hv.events.bindVirq(host.domain, virq, ch);
            };
            host.register(ch);
            return ch;
        } finally {
            hv.lock.unlock();
        }
    }

    private int resolve(final int domid) {
        return domid == Xen.DOMID_SELF ? host.domain.domid : domid;
    }

    @Override
    public EventChannel allocateUnbound(final int remoteDomid, final EventHandler handler) {
        return bind(EventChannel.Kind.UNBOUND, resolve(remoteDomid), 0, -1, handler,
            "allocate unbound port of dom" + host.domain.domid + " for dom" + remoteDomid);
    }

    @Override
    public EventChannel bindInterdomain(final int remoteDomid, final int remotePort, final EventHandler handler) {
        return bind(EventChannel.Kind.INTERDOMAIN, resolve(remoteDomid), remotePort, -1, handler,
            "bind interdomain dom" + host.domain.domid + " to dom" + remoteDomid + " port " + remotePort);
    }

    @Override
    public EventChannel bindVirq(final int virq, final EventHandler handler) {
        return bind(EventChannel.Kind.VIRQ, host.domain.domid, 0, virq, handler,
            "bind VIRQ " + virq + " in dom" + host.domain.domid);
    }

    @Override
    public int poll(final int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents=" + maxEvents + ": must be >= 1");
        }
        if (!hv.faults.enabled()) {
            // Without a fault plan a poll neither stalls nor raises spurious events: it only
            // delivers what is queued, and takes the lock only to take a port off the queue.
            if (!host.usable()) {
                hv.lock.lock();
                try {
                    host.checkUsable("poll event channels");
                } finally {
                    hv.lock.unlock();
                }
            }
            return dispatch(maxEvents);
        }
        hv.lock.lock();
        try {
            host.checkUsable("poll event channels");
            if (stalledPolls > 0) {
                stalledPolls--;
                return 0;
            }
            if (hv.faults.enabled() && injectPollFaults()) {
                return 0;
            }
        } finally {
            hv.lock.unlock();
        }
        return dispatch(maxEvents);
    }

    private int dispatch(final int maxEvents) {
        int done = 0;
        while (done < maxEvents && depth > 0) {
            final SimEventChannel ch = next();
            if (ch == null) {
                break;
            }
            // Outside the lock: a handler notifies, unmasks and binds freely.
            ch.handler.onEvent(ch);
            done++;
        }
        return done;
    }

    /** Under the lock; true when the consumer stalls for this poll. */
    private boolean injectPollFaults() {
        final FaultInjector f = hv.faults;
        final int domid = host.domain.domid;
        final FaultRule spurious = f.check(FaultKind.SPURIOUS_EVENT, domid);
        if (spurious != null) {
            final int port = pickOwnedPort(f);
            if (port > 0) {
                f.record(hv.now(), spurious, domid, "spurious event on dom" + domid + " port " + port);
                hv.events.setPending(host.domain, port);
            }
        }
        if (!queue.isEmpty()) {
            final FaultRule stall = f.check(FaultKind.STALL_CONSUMER, domid);
            if (stall != null && stall.parameter() > 0) {
                f.record(hv.now(), stall, domid, "consumer in dom" + domid + " stalled for " + stall.parameter()
                    + " polls with " + queue.size() + " ports pending");
                stalledPolls = stall.parameter() - 1;
                return true;
            }
        }
        return false;
    }

    private int pickOwnedPort(final FaultInjector f) {
        final PortTable t = host.domain.ports;
        int owned = 0;
        for (int p = 1; p < t.size; p++) {
            if (ownedHere(t.owner[p])) {
                owned++;
            }
        }
        if (owned == 0) {
            return -1;
        }
        int k = f.choose(owned);
        for (int p = 1; p < t.size; p++) {
            if (ownedHere(t.owner[p]) && k-- == 0) {
                return p;
            }
        }
        return -1;
    }

    private boolean ownedHere(final @Nullable SimEventChannel ch) {
        return ch != null && ch.channels == this;
    }

    private @Nullable SimEventChannel next() {
        hv.lock.lock();
        try {
            while (!queue.isEmpty()) {
                final int port = queue.pollInt();
                queued.clear(port);
                depth = queue.size();
                final SimEventChannel ch = host.domain.ports.owner[port];
                if (ch != null && ch.channels == this) {
                    return ch;
                }
            }
            return null;
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    public boolean awaitEvent(final long timeoutNanos) {
        hv.lock.lock();
        try {
            long remaining = timeoutNanos;
            while (queue.isEmpty() && remaining > 0) {
                remaining = ready.awaitNanos(remaining);
            }
            return !queue.isEmpty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return !queue.isEmpty();
        } finally {
            hv.lock.unlock();
        }
    }
}
