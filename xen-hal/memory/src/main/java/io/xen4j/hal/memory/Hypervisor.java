package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The simulated hypervisor: every domain, the Xen clock with its schedule of timers and delayed
 * events, the fault injector, and one lock that serialises every hypercall-like operation, as
 * the real hypervisor's locks make each of them atomic to guests. Shared pages themselves are
 * read and written without the lock, as real shared memory is.
 */
final class Hypervisor {
    /** What {@link SimulatedXen.Builder} fixes. */
    record Settings(
        long seed, FaultPlan plan, long hostPages, int grantEntries, int eventPorts,
        int versionMajor, int versionMinor, String versionExtra, long startTimeNanos, int physicalCpus) {
    }

    final ReentrantLock lock = new ReentrantLock();
    final Settings settings;
    final FaultLog faultLog;
    final FaultInjector faults;
    final EventCore events;
    final GrantCore grantOps;
    final MemoryCore memoryOps;
    final List<DomainListener> listeners = new CopyOnWriteArrayList<>();
    final List<PmUpload> uploads = new ArrayList<>();
    final PhysicalCpus pcpus;

    private final TreeMap<Integer, DomainCore> domains = new TreeMap<>();
    // The same domains indexed by domid: every grant copy and notification looks a domain up, and
    // an array index costs less than a boxed TreeMap search. Domain ids are never reused in a run.
    private @Nullable DomainCore[] byId = new DomainCore[16];
    private final List<DomainCore> everyDomain = new ArrayList<>();
    private final PriorityQueue<Scheduled> schedule = new PriorityQueue<>();
    private long scheduleSeq;
    private volatile long now;
    private int nextDomid;
    private long regionIds;
    long hostPagesUsed;
    private boolean closed;

    /** Something due at a Xen time: a timer or a delayed notification. */
    abstract static class Scheduled implements Comparable<Scheduled> {
        final long due;
        final long seq;

        Scheduled(final long due, final long seq) {
            this.due = due;
            this.seq = seq;
        }

        @Override
        public final int compareTo(final Scheduled o) {
            final int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        /** Runs under the lock; returns work to run after it is released, or null. */
        abstract @Nullable Runnable fire(Hypervisor hv);
    }

    Hypervisor(final Settings settings) {
        this.settings = settings;
        this.now = settings.startTimeNanos();
        this.faultLog = new FaultLog(settings.seed(), settings.plan());
        this.faults = new FaultInjector(settings.plan(), settings.seed(), faultLog);
        this.events = new EventCore(this);
        this.grantOps = new GrantCore(this);
        this.memoryOps = new MemoryCore(this);
        this.pcpus = new PhysicalCpus(this, settings.physicalCpus());
    }

    long now() {
        return now;
    }

    long nextRegionId() {
        return ++regionIds;
    }

    // ---------------------------------------------------------------------------------------------
    // Domains

    DomainCore createDomain(final DomainConfig config) {
        final DomainCore d;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the simulated Xen host is closed");
            }
            if (nextDomid == 0 && !config.privileged()) {
                throw new IllegalArgumentException("dom0 (" + config.name() + ") must be privileged");
            }
            if (nextDomid >= Xen.DOMID_FIRST_RESERVED) {
                throw new XenHalException("create domain " + config.name(), Errno.ENOSPC, "out of domain ids");
            }
            if (hostPagesUsed + config.initialPages() > settings.hostPages()) {
                throw new XenHalException("create domain " + config.name(), Errno.ENOMEM,
                    "it needs " + config.initialPages() + " pages, the host has " + (settings.hostPages() - hostPagesUsed)
                        + " of " + settings.hostPages() + " free");
            }
            // Domain ids are never reused in a run, so a stale id can never reach a new domain.
            d = new DomainCore(this, nextDomid++, config, settings.grantEntries(), settings.eventPorts());
            hostPagesUsed += config.initialPages();
            domains.put(d.domid, d);
            if (d.domid >= byId.length) {
                byId = java.util.Arrays.copyOf(byId, Math.max(byId.length * 2, d.domid + 1));
            }
            byId[d.domid] = d;
            everyDomain.add(d);
        } finally {
            lock.unlock();
        }
        for (final DomainListener l : listeners) {
            l.domainCreated(d.view);
        }
        return d;
    }

    /** A domain that exists, running or dying, or null. */
    @Nullable DomainCore domain(final int domid) {
        final @Nullable DomainCore[] ids = byId;
        return domid >= 0 && domid < ids.length ? ids[domid] : null;
    }

    /** A running domain, or null. */
    @Nullable DomainCore running(final int domid) {
        final DomainCore d = domain(domid);
        return d != null && d.running() ? d : null;
    }

    @Nullable DomainCore anyDomain(final int domid) {
        for (final DomainCore d : everyDomain) {
            if (d.domid == domid) {
                return d;
            }
        }
        return null;
    }

    List<DomainCore> everyDomain() {
        lock.lock();
        try {
            return List.copyOf(everyDomain);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Destroys a domain as Xen does: its hosts stop working and every handle in them is revoked
     * without the guest's cooperation (no unmap notifications: its kernel is gone); its ports are
     * closed, so peers' interdomain ports go back to unbound; its mappings of others' grants and
     * memory are released; its timers are cancelled; dom0 gets {@code VIRQ_DOM_EXC}. Pages that
     * other domains still map keep it {@link DomainState#DYING} until they unmap.
     */
    void destroy(final DomainCore d, final String why) {
        boolean destroyedNow = false;
        lock.lock();
        try {
            if (d.state != DomainState.RUNNING) {
                return;
            }
            if (d.domid == 0) {
                throw new IllegalArgumentException("dom0 cannot be destroyed; close the SimulatedXen instead");
            }
            d.state = DomainState.DYING;
            final String reason = "dom" + d.domid + " was destroyed (" + why + ")";
            for (final SimHost h : d.hosts) {
                h.revokeAll(reason);
            }
            events.destroyPorts(d);
            schedule.removeIf(s -> s instanceof SimTimer.Fire f && f.timer.domain == d);
            final DomainCore dom0 = running(0);
            if (dom0 != null) {
                events.raiseVirq(dom0, Xen.VIRQ_DOM_EXC);
            }
            finishIfReleased(d);
            destroyedNow = true;
        } finally {
            lock.unlock();
        }
        if (destroyedNow) {
            for (final DomainListener l : listeners) {
                l.domainDestroyed(d.view);
            }
        }
    }

    /** Ends a dying domain once no other domain maps its pages. */
    void finishIfReleased(final DomainCore d) {
        if (d.state == DomainState.DYING && d.heldByOthers == 0) {
            d.state = DomainState.DEAD;
            hostPagesUsed -= d.memory.populatedCount();
            domains.remove(d.domid);
            byId[d.domid] = null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Time

    void unschedule(final Scheduled s) {
        schedule.remove(s);
    }

    long nextSeq() {
        return ++scheduleSeq;
    }

    void add(final Scheduled s) {
        schedule.add(s);
    }

    /**
     * Moves the clock forward, firing what falls due in order of deadline, each at its own time:
     * a handler sees the clock at its deadline and may schedule more within the step.
     */
    void advance(final long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos=" + nanos + ": time only moves forward");
        }
        final long target;
        lock.lock();
        try {
            target = Math.addExact(now, nanos);
        } finally {
            lock.unlock();
        }
        while (true) {
            final Runnable after;
            lock.lock();
            try {
                final Scheduled next = schedule.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                schedule.poll();
                now = Math.max(now, next.due);
                after = next.fire(this);
            } finally {
                lock.unlock();
            }
            if (after != null) {
                after.run();
            }
        }
    }

    int scheduledCount() {
        lock.lock();
        try {
            return schedule.size();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Whole host

    ResourceCounts resources() {
        lock.lock();
        try {
            ResourceCounts total = ResourceCounts.ZERO;
            for (final DomainCore d : domains.values()) {
                total = total.plus(d.resources());
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        final List<DomainCore> all;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(domains.values());
        } finally {
            lock.unlock();
        }
        // Guests first, as a host shutdown does; then dom0's programs exit.
        for (int i = all.size() - 1; i >= 0; i--) {
            final DomainCore d = all.get(i);
            if (d.domid != 0) {
                destroy(d, "host shut down");
            }
        }
        lock.lock();
        try {
            final DomainCore dom0 = domains.get(0);
            if (dom0 != null) {
                for (final SimHost h : List.copyOf(dom0.hosts)) {
                    h.close();
                }
            }
            schedule.clear();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
