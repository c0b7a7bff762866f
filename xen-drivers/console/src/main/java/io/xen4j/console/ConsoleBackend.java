package io.xen4j.console;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHandle;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.xenbus.BackendStateMachine;
import io.xen4j.xenbus.BackendWatcher;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.StateWatch;
import io.xen4j.xenbus.XenbusAction;
import io.xen4j.xenbus.XenbusStates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A xenconsoled-like console backend for any number of domains. An Agrona {@link Agent}: each
 * {@link #doWork()} follows the consoles' xenstore nodes, dispatches event-channel events and
 * moves each connected console's output to its {@link ConsoleSink} and queued input to its guest.
 *
 * <p>Primary consoles ({@code /local/domain/<domid>/console}) are served for the domains named
 * with {@link #servePrimary(int)}, or for every domain when {@link #watchDomains()} follows
 * {@code @introduceDomain}/{@code @releaseDomain} as xenconsoled does. The page is mapped by the
 * reserved grant {@code GNTTAB_RESERVED_CONSOLE}, or, when that fails, as the foreign frame of
 * {@code console/ring-ref}; then the port of {@code console/port} is bound. Secondary consoles
 * ({@code backend/console/<domid>/<devid>}) are found by {@link #serveSecondaryConsoles()} and
 * connected through the XenBus handshake with the grant and port the frontend publishes.
 *
 * <p>Every guest is hostile. Values read from xenstore are parsed strictly (a non-numeric,
 * negative or huge ring-ref or port leaves the console waiting, logged once per value); ring
 * indices are validated on each pass and a violation breaks only that console (logged once, the
 * others go on); output is read at most at the configured rate per console and buffered up to a
 * bound, beyond which the oldest bytes are discarded and counted (SECURITY-RULES R9, R10). When a
 * sink opens a pseudo-terminal, its path is written to the console's {@code tty} node.
 */
public final class ConsoleBackend implements Agent, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConsoleBackend.class.getName());
    /** Events dispatched per pass: bounds the work a flood of events causes (R8). */
    private static final int EVENT_BATCH = 64;
    /** Every console is looked at this often even without an event: a lost event costs at most this. */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One console, connected or not. */
    private final class Entry {
        final ConsoleId id;
        final @Nullable DevicePaths device;
        final @Nullable BackendStateMachine machine;
        @Nullable StateWatch watch;
        @Nullable ConsoleConnection conn;
        @Nullable XenHandle mapping;
        @Nullable EventChannel channel;
        @Nullable String tty;
        String detail = "not looked at yet";
        long ringRef = -1;
        long port = -1;

        Entry(final ConsoleId id, final @Nullable DevicePaths device) {
            this.id = id;
            this.device = device;
            this.machine = device == null ? null : new BackendStateMachine();
        }
    }

    private final XenHost host;
    private final XenStoreClient store;
    private final ConsoleSinkFactory sinks;
    private final ConsoleBackendConfig config;
    private final LongSupplier nanoClock;
    private final Map<ConsoleId, Entry> entries = new HashMap<>();
    /** The entries as an array, rebuilt when they change: the agent loop allocates nothing per pass. */
    private Entry[] entryArray = new Entry[0];
    /** Output budgets per domain: a domain with several consoles shares one rate. */
    private final Map<Integer, RateBudget> budgets = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean domainsChanged = new AtomicBoolean();
    private final List<AutoCloseable> watches = new ArrayList<>();
    private final Set<Integer> explicit = new HashSet<>();
    private boolean allDomains;
    private long lastSweep;
    private boolean closed;

    /**
     * Creates a backend; nothing is served until {@link #servePrimary}, {@link #watchDomains()} or
     * {@link #serveSecondaryConsoles()}.
     *
     * @param host   the backend domain's HAL (dom0, or a console driver domain)
     * @param store  the backend domain's xenstore connection
     * @param sinks  where each console's output goes
     * @param config the limits per console
     */
    public ConsoleBackend(final XenHost host, final XenStoreClient store, final ConsoleSinkFactory sinks,
        final ConsoleBackendConfig config) {
        this(host, store, sinks, config, System::nanoTime);
    }

    /**
     * Creates a backend with its own clock for the rate limit (tests use a virtual one).
     *
     * @param host      the backend domain's HAL
     * @param store     the backend domain's xenstore connection
     * @param sinks     where each console's output goes
     * @param config    the limits per console
     * @param nanoClock a monotonic clock in nanoseconds
     */
    public ConsoleBackend(final XenHost host, final XenStoreClient store, final ConsoleSinkFactory sinks,
        final ConsoleBackendConfig config, final LongSupplier nanoClock) {
        this.host = host;
        this.store = store;
        this.sinks = sinks;
        this.config = config;
        this.nanoClock = nanoClock;
        this.lastSweep = nanoClock.getAsLong();
    }

    @Override
    public String roleName() {
        return "xenconsoled-dom" + host.domid();
    }

    /**
     * Serves a domain's primary console (from the next {@link #doWork()}); it connects as soon as
     * its nodes are usable. Thread-safe.
     *
     * @param domid the guest
     */
    public void servePrimary(final int domid) {
        final ConsoleId id = ConsoleId.primary(domid);
        commands.add(() -> {
            explicit.add(domid);
            addPrimary(id);
        });
    }

    /**
     * Stops serving a domain's consoles, primary and secondary. Thread-safe.
     *
     * @param domid the guest
     */
    public void stopServing(final int domid) {
        commands.add(() -> {
            explicit.remove(domid);
            for (final Entry e : List.copyOf(entries.values())) {
                if (e.id.domid() == domid) {
                    remove(e);
                }
            }
        });
    }

    /**
     * Serves the primary console of every domain, as xenconsoled: a watch on
     * {@code @introduceDomain} and {@code @releaseDomain} rescans {@code /local/domain}.
     *
     * @return this
     */
    public synchronized ConsoleBackend watchDomains() {
        allDomains = true;
        domainsChanged.set(true);
        watches.add(store.watch("@introduceDomain", ev -> domainsChanged.set(true)));
        watches.add(store.watch("@releaseDomain", ev -> domainsChanged.set(true)));
        return this;
    }

    /**
     * Serves secondary consoles: devices of type {@value ConsoleNodes#DEVICE_TYPE} under this
     * domain's {@code backend} directory.
     *
     * @return this
     */
    public synchronized ConsoleBackend serveSecondaryConsoles() {
        watches.add(new BackendWatcher(store, host.domid(), ConsoleNodes.DEVICE_TYPE, new BackendWatcher.Listener() {
            @Override
            public void deviceAdded(final DevicePaths device) {
                commands.add(() -> addSecondary(device));
            }

            @Override
            public void deviceRemoved(final DevicePaths device) {
                commands.add(() -> {
                    final Entry e = entries.get(new ConsoleId(device.frontendDomid(), device.devid()));
                    if (e != null) {
                        remove(e);
                    }
                });
            }
        }));
        return this;
    }

    /**
     * Queues input for a console's guest, as typed on its terminal. Thread-safe.
     *
     * @param id   the console
     * @param data the bytes
     * @return bytes queued: fewer when the console's input queue is full, 0 when it is not connected
     */
    public int sendInput(final ConsoleId id, final byte[] data) {
        final ConsoleConnection c;
        synchronized (this) {
            final Entry e = entries.get(id);
            c = e == null ? null : e.conn;
        }
        if (c == null || c.broken() != null) {
            return 0;
        }
        final int n = c.queueInput(data, 0, data.length);
        c.pending.set(true);
        return n;
    }

    /**
     * The consoles and their counters.
     *
     * @return a snapshot, ordered by domain and device
     */
    public synchronized List<ConsoleStatus> consoles() {
        final List<ConsoleStatus> out = new ArrayList<>();
        for (final Entry e : entries.values()) {
            final ConsoleConnection c = e.conn;
            if (c == null) {
                out.add(new ConsoleStatus(e.id, ConsoleStatus.State.WAITING, 0, 0, 0, 0, e.detail, null));
            } else {
                final String b = c.broken();
                out.add(new ConsoleStatus(e.id, b == null ? ConsoleStatus.State.CONNECTED : ConsoleStatus.State.BROKEN,
                    c.bytesOut, c.bytesIn, c.discarded, c.throttled, b == null ? "" : b, e.tty));
            }
        }
        out.sort((a, b) -> a.id().domid() != b.id().domid() ? Integer.compare(a.id().domid(), b.id().domid())
            : Integer.compare(a.id().devid(), b.id().devid()));
        return out;
    }

    /**
     * One console's status.
     *
     * @param id the console
     * @return its status, or null when it is not served
     */
    public @Nullable ConsoleStatus console(final ConsoleId id) {
        for (final ConsoleStatus s : consoles()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public synchronized int doWork() {
        if (closed) {
            return 0;
        }
        int work = 0;
        try {
            for (Runnable r = commands.poll(); r != null; r = commands.poll()) {
                r.run();
                work++;
            }
            if (allDomains && domainsChanged.getAndSet(false)) {
                rescanDomains();
                work++;
            }
            work += host.eventChannels().poll(EVENT_BATCH);
        } catch (final RuntimeException e) {
            // Nothing leaves the agent loop (R10): the next pass tries again.
            LOG.log(System.Logger.Level.WARNING, "console backend dom" + host.domid() + ": " + e);
        }
        final long now = nanoClock.getAsLong();
        final boolean sweep = now - lastSweep >= SWEEP_NANOS;
        if (sweep) {
            lastSweep = now;
        }
        for (final Entry e : entryArray) {
            try {
                final StateWatch w = e.watch;
                if (w != null && w.changed()) {
                    work++;
                    follow(e);
                }
                final ConsoleConnection c = e.conn;
                if (c != null && (c.pending.getAndSet(false) || sweep || c.hasBacklog())) {
                    work += c.pump(now);
                }
            } catch (final RuntimeException ex) {
                // One console's trouble (a xenstore error, a vanished domain) must not stop the others.
                note(e, "error: " + ex.getMessage());
            }
        }
        return work;
    }

    // ------------------------------------------------------------------ discovery

    private void rescanDomains() {
        final List<String> names;
        try {
            names = store.directory("/local/domain");
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return;
            }
            throw e;
        }
        final Set<Integer> live = new HashSet<>();
        for (final String n : names) {
            final long domid = ConsoleNodes.parseUnsigned(n, 0x7FEF);
            // The toolstack removes /local/domain/<domid> only after the domain is gone; a released
            // domain is no longer introduced (xenconsoled asks the hypervisor; xenstore knows too).
            if (domid >= 0 && domid != host.domid() && store.isDomainIntroduced((int) domid)) {
                live.add((int) domid);
                addPrimary(ConsoleId.primary((int) domid));
            }
        }
        for (final Entry e : List.copyOf(entries.values())) {
            if (e.id.isPrimary() && !live.contains(e.id.domid()) && !explicit.contains(e.id.domid())) {
                remove(e);
            }
        }
    }

    private void addPrimary(final ConsoleId id) {
        if (entries.containsKey(id)) {
            return;
        }
        final Entry e = new Entry(id, null);
        e.watch = new StateWatch(store, ConsoleNodes.primary(id.domid()));
        entries.put(id, e);
        entryArray = entries.values().toArray(new Entry[0]);
    }

    private void addSecondary(final DevicePaths device) {
        final ConsoleId id = new ConsoleId(device.frontendDomid(), device.devid());
        if (entries.containsKey(id)) {
            return;
        }
        final Entry e = new Entry(id, device);
        entries.put(id, e);
        entryArray = entries.values().toArray(new Entry[0]);
        final BackendStateMachine m = Objects.requireNonNull(e.machine);
        m.advertise();
        XenbusStates.write(store, device.backend(), m.state());
        e.detail = "waiting for the frontend";
        e.watch = new StateWatch(store, device.frontend("state"));
    }

    private void remove(final Entry e) {
        entries.remove(e.id);
        entryArray = entries.values().toArray(new Entry[0]);
        if (entries.keySet().stream().noneMatch(id -> id.domid() == e.id.domid())) {
            budgets.remove(e.id.domid());
        }
        final StateWatch w = e.watch;
        if (w != null) {
            w.close();
        }
        disconnect(e);
    }

    // ------------------------------------------------------------------ primary

    private void follow(final Entry e) {
        if (e.device == null) {
            followPrimary(e);
        } else {
            followSecondary(e, e.device);
        }
    }

    private void followPrimary(final Entry e) {
        final int domid = e.id.domid();
        final @Nullable String type = read(ConsoleNodes.primary(domid, ConsoleNodes.TYPE));
        final @Nullable String refText = read(ConsoleNodes.primary(domid, ConsoleNodes.RING_REF));
        final @Nullable String portText = read(ConsoleNodes.primary(domid, ConsoleNodes.PORT));
        if (type != null && !type.isEmpty() && !ConsoleNodes.TYPE_XENCONSOLED.equals(type)) {
            disconnect(e);
            note(e, "console/type=" + ConsoleNodes.excerpt(type) + " is served by another daemon");
            return;
        }
        if (refText == null && portText == null) {
            disconnect(e);
            note(e, "no console nodes yet");
            return;
        }
        final long gfn = ConsoleNodes.parseUnsigned(refText, ConsoleNodes.GFN_MAX);
        final long port = ConsoleNodes.parsePort(portText);
        if (gfn < 0 || port < 0) {
            disconnect(e);
            note(e, "unusable nodes (values from the guest's directory are checked): console/ring-ref="
                + ConsoleNodes.excerpt(refText) + " console/port=" + ConsoleNodes.excerpt(portText)
                + "; waiting for a decimal frame number <= " + ConsoleNodes.GFN_MAX + " and a port 1.." + ConsoleNodes.PORT_MAX);
            return;
        }
        if (e.conn != null && e.ringRef == gfn && e.port == port) {
            // A repeated event, or another node of the directory changed (tty, limit): nothing to redo.
            return;
        }
        disconnect(e);
        final int limit = (int) ConsoleNodes.parseUnsigned(read(ConsoleNodes.primary(domid, ConsoleNodes.LIMIT)), ConsoleBackendConfig.MAX_BUFFER);
        final int buffer = limit >= ConsoleBackendConfig.MIN_BUFFER ? Math.min(limit, config.bufferBytes()) : config.bufferBytes();
        XenHandle mapping = null;
        AtomicBuffer page;
        try {
            final MappedGrants g = host.grantTables().map(domid, GrantTable.GNTTAB_RESERVED_CONSOLE, true);
            mapping = g;
            page = g.buffer();
        } catch (final XenHalException grantFailed) {
            // No seeded grant (an old toolstack): map the frame itself, as xenconsoled falls back to.
            if (!host.supports(XenService.FOREIGN_MEMORY)) {
                note(e, "cannot map the console page: grant " + GrantTable.GNTTAB_RESERVED_CONSOLE + " refused ("
                    + grantFailed.getMessage() + ") and this domain has no foreign memory access");
                return;
            }
            try {
                final ForeignMapping f = host.foreignMemory().mapFrames(domid, new long[] {gfn}, true);
                if (!f.allMapped()) {
                    final int errno = f.error(0);
                    f.close();
                    note(e, "cannot map the console page: grant refused (" + grantFailed.getMessage() + "), frame 0x"
                        + Long.toHexString(gfn) + " errno " + errno);
                    return;
                }
                mapping = f;
                page = f.buffer();
            } catch (final XenHalException mapFailed) {
                note(e, "cannot map the console page: grant refused (" + grantFailed.getMessage() + "), frame 0x"
                    + Long.toHexString(gfn) + ": " + mapFailed.getMessage());
                return;
            }
        }
        connect(e, mapping, page, (int) port, buffer, gfn, ConsoleNodes.primary(domid, ConsoleNodes.TTY));
    }

    // ------------------------------------------------------------------ secondary

    private void followSecondary(final Entry e, final DevicePaths device) {
        final BackendStateMachine m = Objects.requireNonNull(e.machine);
        for (int round = 0; round < 3; round++) {
            final XenbusAction action = m.onFrontendState(XenbusStates.read(store, device.frontend()));
            switch (action) {
                case CONNECT -> {
                    if (!connectSecondary(e, device)) {
                        // The frontend published garbage: close the device, as a Linux backend does on a failed connect.
                        m.close();
                    }
                    XenbusStates.write(store, device.backend(), m.state());
                }
                case DISCONNECT -> {
                    disconnect(e);
                    XenbusStates.write(store, device.backend(), m.state());
                }
                case RESTART -> {
                    disconnect(e);
                    XenbusStates.write(store, device.backend(), m.state());
                    continue;
                }
                case SETUP, NONE -> {
                    // Nothing to do for this frontend state.
                }
            }
            return;
        }
    }

    private boolean connectSecondary(final Entry e, final DevicePaths device) {
        final @Nullable String refText = read(device.frontend(ConsoleNodes.RING_REF));
        final @Nullable String portText = read(device.frontend(ConsoleNodes.PORT));
        final long ref = ConsoleNodes.parseUnsigned(refText, ConsoleNodes.GRANT_REF_MAX);
        final long port = ConsoleNodes.parsePort(portText);
        if (ref < 0 || port < 0) {
            note(e, "frontend published unusable nodes: ring-ref=" + ConsoleNodes.excerpt(refText) + " port="
                + ConsoleNodes.excerpt(portText) + "; device closed");
            return false;
        }
        final MappedGrants g;
        try {
            g = host.grantTables().map(device.frontendDomid(), (int) ref, true);
        } catch (final XenHalException ex) {
            note(e, "cannot map grant " + ref + " of dom" + device.frontendDomid() + ": " + ex.getMessage() + "; device closed");
            return false;
        }
        return connect(e, g, g.buffer(), (int) port, config.bufferBytes(), ref, device.backend(ConsoleNodes.TTY));
    }

    // ------------------------------------------------------------------ both

    private boolean connect(final Entry e, final XenHandle mapping, final AtomicBuffer page, final int port, final int buffer,
        final long ringRef, final String ttyPath) {
        final int domid = e.id.domid();
        final AtomicBoolean pending = new AtomicBoolean(true);
        final EventChannel channel;
        try {
            // The handler only flags and unmasks: doWork reads the ring, so a flood costs one flag per unmask (R8).
            channel = host.eventChannels().bindInterdomain(domid, port, ch -> {
                pending.set(true);
                ch.unmask();
            });
        } catch (final XenHalException ex) {
            mapping.close();
            note(e, "cannot bind port " + port + " of dom" + domid + ": " + ex.getMessage());
            return false;
        }
        ConsoleSink sink;
        try {
            sink = sinks.open(e.id);
        } catch (final IOException | RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "console " + e.id.name() + ": cannot open its sink (" + ex
                + "); its output is discarded");
            sink = new ConsoleSink() {
                @Override
                public int write(final byte[] data, final int offset, final int length) throws IOException {
                    throw new IOException("no sink");
                }

                @Override
                public void close() {
                    // Nothing was opened.
                }
            };
        }
        final RateBudget budget = budgets.computeIfAbsent(domid,
            d -> new RateBudget(config.rateBytesPerSecond(), config.burstBytes(), nanoClock.getAsLong()));
        final ConsoleConnection c = new ConsoleConnection(e.id, page, channel::notifyPeer, sink, config, buffer,
            budget, pending, line -> LOG.log(System.Logger.Level.WARNING, line));
        e.mapping = mapping;
        e.channel = channel;
        e.conn = c;
        e.ringRef = ringRef;
        e.port = port;
        e.detail = "";
        final @Nullable String tty = sink.ttyPath();
        if (tty != null) {
            e.tty = tty;
            try {
                store.write(ttyPath, tty);
            } catch (final XenStoreException ex) {
                LOG.log(System.Logger.Level.WARNING, "console " + e.id.name() + ": cannot write " + ttyPath + ": " + ex.getMessage());
            }
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "console " + e.id.name() + ": connected, port " + port
            + (tty == null ? "" : ", tty " + tty));
        return true;
    }

    private void disconnect(final Entry e) {
        final ConsoleConnection c = e.conn;
        e.conn = null;
        e.ringRef = -1;
        e.port = -1;
        if (c != null) {
            c.close();
        }
        final EventChannel ch = e.channel;
        e.channel = null;
        if (ch != null) {
            ch.close();
        }
        final XenHandle m = e.mapping;
        e.mapping = null;
        if (m != null) {
            m.close();
        }
        if (e.tty != null) {
            e.tty = null;
        }
    }

    private void note(final Entry e, final String detail) {
        if (!detail.equals(e.detail)) {
            e.detail = detail;
            LOG.log(System.Logger.Level.WARNING, "console " + e.id.name() + ": " + detail);
        }
    }

    private @Nullable String read(final String path) {
        try {
            return store.read(path);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    /** Stops serving: every console is flushed, unmapped and unbound, and every sink closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (final AutoCloseable w : watches) {
            try {
                w.close();
            } catch (final Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "console backend: closing a watch: " + e);
            }
        }
        for (final Entry e : List.copyOf(entries.values())) {
            remove(e);
        }
    }

    @Override
    public void onClose() {
        close();
    }
}
