package io.xen4j.hal.memory;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.ForeignMemory;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.Hypercalls;
import io.xen4j.hal.api.MemoryReservation;
import io.xen4j.hal.api.PlatformInfo;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.Timers;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenClock;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The XenHost of a program in a simulated domain: one set of open devices. Several can exist per
 * domain, like several processes each opening {@code /dev/xen/evtchn}.
 */
final class SimHost implements XenHost {
    /** The backend's name, as {@link MemoryXenHostProvider} registers it. */
    static final String BACKEND = "memory";

    final Hypervisor hv;
    final DomainCore domain;
    private final @Nullable Runnable onClose;
    private final Set<XenService> services;
    private final LinkedHashSet<SimHandle> handles = new LinkedHashSet<>();
    private final SimEventChannels eventChannels;
    private final GrantTables grantTables;
    private final ForeignMemory foreignMemory;
    private final Hypercalls hypercalls;
    private final MemoryReservation reservation;
    private final Timers timers;
    private final PlatformOps platformOps;
    private final XenClock clock;
    // Volatile so that a poll with nothing queued can check them without the lock; written under it.
    private volatile boolean closed;
    private volatile @Nullable String revoked;

    /**
     * Work a service does under the hypervisor lock, given the call's arguments so that a method
     * reference or a lambda that captures nothing serves every call: the data path's calls (grant
     * copy, map) allocate no lambda.
     *
     * @param <A> the call's main argument
     * @param <R> its result ({@code null} for none)
     */
    @FunctionalInterface
    interface Locked<A extends @Nullable Object, R extends @Nullable Object> {
        R run(SimHost host, A arg, int number, boolean flag);
    }

    /**
     * The name of an operation, for its error: built only when the host turns out unusable, so the
     * data path builds no string.
     *
     * @param <A> the call's main argument
     */
    @FunctionalInterface
    interface OpName<A extends @Nullable Object> {
        String of(SimHost host, A arg, int number, boolean flag);
    }

    SimHost(final DomainCore domain, final @Nullable Runnable onClose) {
        this.hv = domain.hv;
        this.domain = domain;
        this.onClose = onClose;
        final EnumSet<XenService> s = EnumSet.allOf(XenService.class);
        if (!domain.config.privileged()) {
            s.remove(XenService.FOREIGN_MEMORY);
            s.remove(XenService.PLATFORM_OPS);
        }
        this.services = Collections.unmodifiableSet(s);
        this.eventChannels = new SimEventChannels(this);
        this.grantTables = new SimServices.Grants(this);
        this.foreignMemory = new SimServices.Foreign(this);
        this.hypercalls = new SimServices.Calls(this);
        this.reservation = new SimServices.Reservation(this);
        this.timers = new SimServices.VcpuTimers(this);
        this.platformOps = new SimServices.Platform(this);
        this.clock = hv::now;
    }

    /** Whether {@link #checkUsable} would pass: neither closed nor revoked. */
    boolean usable() {
        return !closed && revoked == null;
    }

    /** Under the lock: throws if the host was closed or its domain destroyed. */
    void checkUsable(final String operation) {
        if (closed) {
            throw new XenHalException(operation, Errno.EBADF, "the host of dom" + domain.domid + " is closed");
        }
        final String r = revoked;
        if (r != null) {
            throw new XenHalException(operation, Errno.ESRCH, r);
        }
    }

    /**
     * Runs {@code body} under the hypervisor lock once {@link #checkUsable} passes for the
     * operation {@code name} names: the one lock, check and unlock of every service call.
     *
     * @param name   names the operation for the error of an unusable host
     * @param arg    the call's main argument
     * @param number an int argument, or 0
     * @param flag   a boolean argument, or false
     * @param body   the work
     * @return what {@code body} returns
     */
    <A extends @Nullable Object, R extends @Nullable Object> R locked(
        final OpName<A> name, final A arg, final int number, final boolean flag, final Locked<A, R> body) {
        hv.lock.lock();
        try {
            if (!usable()) {
                checkUsable(name.of(this, arg, number, flag));
            }
            return body.run(this, arg, number, flag);
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * {@link #locked(OpName, Object, int, boolean, Locked)} for an operation whose name is already
     * built.
     *
     * @param op   the operation, for the error of an unusable host
     * @param body the work
     * @return what {@code body} returns
     */
    <R extends @Nullable Object> R locked(final String op, final Locked<@Nullable Void, R> body) {
        hv.lock.lock();
        try {
            checkUsable(op);
            return body.run(this, null, 0, false);
        } finally {
            hv.lock.unlock();
        }
    }

    void register(final SimHandle h) {
        handles.add(h);
    }

    void unregister(final SimHandle h) {
        handles.remove(h);
    }

    int handleCount() {
        return handles.size();
    }

    SimEventChannels channels() {
        return eventChannels;
    }

    /** Under the lock, by the hypervisor destroying the domain. */
    void revokeAll(final String reason) {
        revoked = reason;
        for (final SimHandle h : new ArrayList<>(handles)) {
            h.revoke(reason);
        }
        handles.clear();
    }

    private UnsupportedServiceException unsupported(final XenService service) {
        return new UnsupportedServiceException(service, BACKEND, domain.domid,
            "dom" + domain.domid + " (" + domain.config.name() + ") is not privileged");
    }

    @Override
    public int domid() {
        return domain.domid;
    }

    @Override
    public String backendName() {
        return BACKEND;
    }

    @Override
    public Set<XenService> services() {
        return services;
    }

    @Override
    public EventChannels eventChannels() {
        return eventChannels;
    }

    @Override
    public GrantTables grantTables() {
        return grantTables;
    }

    @Override
    public ForeignMemory foreignMemory() {
        if (!services.contains(XenService.FOREIGN_MEMORY)) {
            throw unsupported(XenService.FOREIGN_MEMORY);
        }
        return foreignMemory;
    }

    @Override
    public Hypercalls hypercalls() {
        return hypercalls;
    }

    @Override
    public MemoryReservation memoryReservation() {
        return reservation;
    }

    @Override
    public Timers timers() {
        return timers;
    }

    @Override
    public XenClock clock() {
        return clock;
    }

    @Override
    public PlatformOps platformOps() {
        if (!services.contains(XenService.PLATFORM_OPS)) {
            throw unsupported(XenService.PLATFORM_OPS);
        }
        return platformOps;
    }

    @Override
    public PlatformInfo platform() {
        final Hypervisor.Settings s = hv.settings;
        return new PlatformInfo(true, domain.config.guestType(), s.versionMajor(), s.versionMinor(), s.versionExtra(),
            domain.config.privileged(), domain.domid == 0, domain.domid);
    }

    @Override
    public boolean isClosed() {
        hv.lock.lock();
        try {
            return closed;
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    public void close() {
        hv.lock.lock();
        try {
            if (closed) {
                return;
            }
            // The process exits: every device it opened closes, as the guest kernel would close it
            // (with unmap notifications), unless the domain is already gone.
            for (final SimHandle h : new ArrayList<>(handles)) {
                h.closeQuietly();
            }
            closed = true;
            domain.hosts.remove(this);
        } finally {
            hv.lock.unlock();
        }
        if (onClose != null) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "XenHost(" + BACKEND + ", dom" + domain.domid + (closed ? ", closed" : "") + ")";
    }
}
