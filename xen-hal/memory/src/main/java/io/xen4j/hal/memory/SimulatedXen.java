package io.xen4j.hal.memory;

import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.XenClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A simulated Xen host in memory: domains whose {@link io.xen4j.hal.api.XenHost}s share pages,
 * exchange events and map each other's memory as the hypervisor would let them, on a virtual
 * clock that the test advances, with seeded fault injection.
 *
 * <pre>{@code
 * try (SimulatedXen xen = SimulatedXen.builder().seed(42).build()) {
 *     SimulatedDomain dom0 = xen.dom0();
 *     SimulatedDomain guest = xen.createDomain("guest1");
 *     SharedPages ring = guest.host().grantTables().share(dom0.domid(), 1, true);
 *     MappedGrants mapped = dom0.host().grantTables().map(guest.domid(), ring.grantRef(0), true);
 *     ...
 * }
 * }</pre>
 *
 * <p>What is simulated, and how faithfully:
 * <ul>
 *   <li>Grant tables are real {@code grant_entry_v1} arrays driven by the {@code GTF_*} protocol
 *   (see {@link SimulatedDomain#grantEntry(int)}); mapping checks type, grantee, read-only and the
 *   frame, and sets {@code GTF_reading}/{@code GTF_writing}; end-access fails while mapped.
 *   Shared pages are real memory that both sides read and write concurrently.</li>
 *   <li>Event channels have Xen's port states, pending and mask bits, and the Linux evtchn
 *   device's delivery (a delivered port is masked until unmasked).</li>
 *   <li>Memory: reservations accounted against each domain's maximum and the host; foreign
 *   mappings of populated frames and of the grant table (the only resource).</li>
 *   <li>Time is virtual: {@link #advanceTime(long)} fires timers and delayed notifications in
 *   deadline order. Blocking waits ({@code awaitEvent}) use wall-clock time.</li>
 *   <li>Faults: {@link FaultPlan} rules, decided from the seed, logged in {@link #faultLog()}.</li>
 *   <li>Destroying a domain releases what it held and returns peers' ports to unbound; pages
 *   peers still map keep it {@link DomainState#DYING}.</li>
 * </ul>
 *
 * <p>xenstored is not part of this class: it plugs in through {@link DomainListener}s and the
 * domains' hosts ({@code io.xen4j.hal.memory.xenstore.SimulatedXenstore}).
 *
 * <p>Thread-safe: one lock serialises the hypervisor's operations; handlers run outside it.
 */
public final class SimulatedXen implements AutoCloseable {
    private final Hypervisor hv;

    private SimulatedXen(final Hypervisor.Settings settings, final DomainConfig dom0) {
        this.hv = new Hypervisor(settings);
        hv.createDomain(dom0);
    }

    /**
     * A builder with the defaults: seed 0, no faults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A host with the defaults and dom0.
     *
     * @return a new host
     */
    public static SimulatedXen create() {
        return builder().build();
    }

    /**
     * The control domain, created with the host.
     *
     * @return dom0
     */
    public SimulatedDomain dom0() {
        final DomainCore d = hv.anyDomain(0);
        return Objects.requireNonNull(d, "dom0").view;
    }

    /**
     * Creates an unprivileged PVH guest with the default memory.
     *
     * @param name its name
     * @return the running domain, with the next domain id
     */
    public SimulatedDomain createDomain(final String name) {
        return createDomain(DomainConfig.guest(name));
    }

    /**
     * Creates a domain.
     *
     * @param config how to build it
     * @return the running domain, with the next domain id
     * @throws io.xen4j.hal.api.XenHalException with {@code ENOMEM} when the host lacks the memory
     */
    public SimulatedDomain createDomain(final DomainConfig config) {
        return hv.createDomain(config).view;
    }

    /**
     * A domain by id, in any state.
     *
     * @param domid the id
     * @return the domain, or null if no domain ever had that id
     */
    public @Nullable SimulatedDomain domain(final int domid) {
        hv.lock.lock();
        try {
            final DomainCore d = hv.anyDomain(domid);
            return d == null ? null : d.view;
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Every domain created, in id order, in any state.
     *
     * @return the domains
     */
    public List<SimulatedDomain> domains() {
        final List<SimulatedDomain> out = new ArrayList<>();
        for (final DomainCore d : hv.everyDomain()) {
            out.add(d.view);
        }
        return out;
    }

    /**
     * Destroys a domain as Xen does ({@code xl destroy}): its programs' handles are revoked without
     * its cooperation; its ports close, so peers' interdomain ports go back to unbound; its grant
     * and foreign mappings are released; its timers are cancelled; dom0 gets
     * {@code VIRQ_DOM_EXC}; {@link DomainListener}s hear of it. Pages that peers still map keep it
     * {@link DomainState#DYING} until they unmap. Destroying a dead or dying domain does nothing.
     *
     * @param domid the domain
     * @throws IllegalArgumentException for dom0 or an unknown domain
     */
    public void destroyDomain(final int domid) {
        final DomainCore d;
        hv.lock.lock();
        try {
            d = hv.anyDomain(domid);
        } finally {
            hv.lock.unlock();
        }
        if (d == null) {
            throw new IllegalArgumentException("dom" + domid + " was never created");
        }
        hv.destroy(d, "destroyed by the test");
    }

    /**
     * The Xen system time.
     *
     * @return nanoseconds; starts at the builder's start time and moves only by
     *         {@link #advanceTime(long)}
     */
    public long nanoTime() {
        return hv.now();
    }

    /**
     * The Xen clock every domain's host reads.
     *
     * @return the clock
     */
    public XenClock clock() {
        return hv::now;
    }

    /**
     * Moves the clock forward, firing the timers and delayed notifications that fall due, in
     * deadline order, each at its own deadline. Timer handlers run on the calling thread.
     *
     * @param nanos how far, at least 0
     */
    public void advanceTime(final long nanos) {
        hv.advance(nanos);
    }

    /**
     * Raises a VIRQ on a domain, as the hypervisor would (for a global VIRQ, on dom0).
     *
     * @param domid the domain
     * @param virq  the VIRQ
     * @return whether the domain had bound it
     */
    public boolean raiseVirq(final int domid, final int virq) {
        hv.lock.lock();
        try {
            final DomainCore d = hv.running(domid);
            return d != null && hv.events.raiseVirq(d, virq);
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * The faults injected so far.
     *
     * @return the log
     */
    public FaultLog faultLog() {
        return hv.faultLog;
    }

    /**
     * The seed every random decision derives from.
     *
     * @return the seed
     */
    public long seed() {
        return hv.settings.seed();
    }

    /**
     * What every living and dying domain holds, summed: for leak checks.
     *
     * @return the counts
     */
    public ResourceCounts resources() {
        return hv.resources();
    }

    /**
     * The processor power-management uploads received, in order.
     *
     * @return a copy
     */
    public List<PmUpload> platformUploads() {
        hv.lock.lock();
        try {
            return List.copyOf(hv.uploads);
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * The physical CPUs, whose load and online state tests set and whose idle time
     * {@code XENPF_getidletime} reads.
     *
     * @return the CPUs
     */
    public PhysicalCpus physicalCpus() {
        return hv.pcpus;
    }

    /**
     * Pages of the host's memory not held by any domain.
     *
     * @return free pages
     */
    public long freeHostPages() {
        hv.lock.lock();
        try {
            return hv.settings.hostPages() - hv.hostPagesUsed;
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Adds a listener for domains created and destroyed from now on.
     *
     * @param listener the listener
     */
    public void addDomainListener(final DomainListener listener) {
        hv.listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Destroys every guest and closes dom0's hosts.
     */
    @Override
    public void close() {
        hv.close();
    }

    Hypervisor hypervisor() {
        return hv;
    }

    @Override
    public String toString() {
        return "SimulatedXen(seed " + hv.settings.seed() + ", " + hv.everyDomain().size() + " domains, t="
            + hv.now() + "ns)";
    }

    /** Configures a {@link SimulatedXen}. */
    public static final class Builder {
        private long seed;
        private FaultPlan plan = FaultPlan.NONE;
        private long hostPages = 1L << 20;
        private int grantEntries = 4096;
        private int eventPorts = 1024;
        private int versionMajor = 4;
        private int versionMinor = 19;
        private String versionExtra = ".0-xen4j-sim";
        private long startTimeNanos = 1_000_000_000L;
        private int physicalCpus = 4;
        private DomainConfig dom0 = DomainConfig.privileged("Domain-0");

        private Builder() {
        }

        /**
         * The seed of every random decision (fault triggers and choices).
         *
         * @param value the seed
         * @return this
         */
        public Builder seed(final long value) {
            this.seed = value;
            return this;
        }

        /**
         * The faults to inject.
         *
         * @param value the plan
         * @return this
         */
        public Builder faultPlan(final FaultPlan value) {
            this.plan = Objects.requireNonNull(value, "plan");
            return this;
        }

        /**
         * The host's memory, in pages, shared by every domain's reservation (default 4 GiB).
         *
         * @param value pages, at least 1
         * @return this
         */
        public Builder hostPages(final long value) {
            if (value < 1) {
                throw new IllegalArgumentException("hostPages=" + value + ": must be >= 1");
            }
            this.hostPages = value;
            return this;
        }

        /**
         * Entries of each domain's grant table (default 4096: 8 frames of v1 entries).
         *
         * @param value entries, at least 16
         * @return this
         */
        public Builder grantEntries(final int value) {
            if (value < 16 || value > 1 << 20) {
                throw new IllegalArgumentException("grantEntries=" + value + ": must be in [16, 2^20]");
            }
            this.grantEntries = value;
            return this;
        }

        /**
         * Event-channel ports of each domain, port 0 included and never used (default 1024).
         *
         * @param value ports, at least 2
         * @return this
         */
        public Builder eventPorts(final int value) {
            if (value < 2 || value > 1 << 17) {
                throw new IllegalArgumentException("eventPorts=" + value + ": must be in [2, 2^17]");
            }
            this.eventPorts = value;
            return this;
        }

        /**
         * The Xen version the platform reports (default 4.19.0-xen4j-sim).
         *
         * @param major the major version
         * @param minor the minor version
         * @param extra the extra version, e.g. {@code ".2"}
         * @return this
         */
        public Builder version(final int major, final int minor, final String extra) {
            this.versionMajor = major;
            this.versionMinor = minor;
            this.versionExtra = Objects.requireNonNull(extra, "extra");
            return this;
        }

        /**
         * The Xen time at start (default 1 s).
         *
         * @param value nanoseconds, at least 0
         * @return this
         */
        public Builder startTimeNanos(final long value) {
            if (value < 0) {
                throw new IllegalArgumentException("startTimeNanos=" + value + ": must be >= 0");
            }
            this.startTimeNanos = value;
            return this;
        }

        /**
         * The number of physical CPUs (default 4), whose idle time {@code XENPF_getidletime} reads.
         *
         * @param value 1..{@link PlatformOps#MAX_IDLE_CPUS}
         * @return this
         */
        public Builder physicalCpus(final int value) {
            if (value < 1 || value > PlatformOps.MAX_IDLE_CPUS) {
                throw new IllegalArgumentException("physicalCpus=" + value + ": need 1.."
                    + PlatformOps.MAX_IDLE_CPUS);
            }
            this.physicalCpus = value;
            return this;
        }

        /**
         * How dom0 is built (default: privileged PV "Domain-0").
         *
         * @param value the configuration; must be privileged
         * @return this
         */
        public Builder dom0(final DomainConfig value) {
            this.dom0 = Objects.requireNonNull(value, "dom0");
            return this;
        }

        /**
         * Creates the host with dom0.
         *
         * @return the host
         */
        public SimulatedXen build() {
            return new SimulatedXen(new Hypervisor.Settings(seed, plan, hostPages, grantEntries, eventPorts,
                versionMajor, versionMinor, versionExtra, startTimeNanos, physicalCpus), dom0);
        }
    }
}
