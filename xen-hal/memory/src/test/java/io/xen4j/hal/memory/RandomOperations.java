package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.Timer;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHandle;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.contract.CountingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Drives a simulated host with a sequence of random operations of every kind, from any domain to
 * any other, and checks after each that the hypervisor's state is consistent: pinned grant
 * references are exactly the entries marked {@code GTF_reading}, {@code GTF_writing} never
 * without {@code GTF_reading}, counts never negative; and at the end, that closing every handle
 * leaves nothing held. Failures of the operations themselves ({@link XenHalException}) are
 * expected: many operations are invalid on purpose.
 */
final class RandomOperations implements AutoCloseable {
    private final SimulatedXen xen;
    private final IntUnaryOperator choose;
    private final List<SimulatedDomain> domains = new ArrayList<>();
    private final List<SharedPages> shares = new ArrayList<>();
    private final List<MappedGrants> maps = new ArrayList<>();
    private final List<EventChannel> channels = new ArrayList<>();
    private final List<ForeignMapping> foreign = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private final StringBuilder trace = new StringBuilder();
    private int expectedFailures;
    private final int[] successes = new int[17];

    /**
     * @param xen    the host, with whatever fault plan
     * @param choose a source of choices: given a bound, a number in {@code [0, bound)}
     */
    RandomOperations(final SimulatedXen xen, final IntUnaryOperator choose) {
        this.xen = xen;
        this.choose = choose;
        domains.add(xen.dom0());
        domains.add(xen.createDomain("a"));
        domains.add(xen.createDomain("b"));
    }

    private int pick(final int bound) {
        return bound <= 1 ? 0 : Math.floorMod(choose.applyAsInt(bound), bound);
    }

    private <T> T any(final List<T> list) {
        return list.get(pick(list.size()));
    }

    private SimulatedDomain anyDomain() {
        return any(domains);
    }

    private XenHost host(final SimulatedDomain d) {
        return d.host();
    }

    String trace() {
        return trace.toString();
    }

    int expectedFailures() {
        return expectedFailures;
    }

    /** How many times an operation (0 share, 1 map, 6 bind, 11 copy, ...) succeeded. */
    int successes(final int op) {
        return successes[op];
    }

    /** Runs one random operation and checks the invariants. */
    void step() {
        final int op = pick(17);
        trace.append(op).append(' ');
        try {
            run(op);
            successes[op]++;
        } catch (final XenHalException expected) {
            expectedFailures++;
            trace.append("! ");
        }
        checkInvariants();
    }

    private void run(final int op) {
        final SimulatedDomain d = anyDomain();
        switch (op) {
            case 0 -> shares.add(host(d).grantTables().share(anyDomain().domid(), 1 + pick(3), pick(2) == 0));
            case 1 -> {
                if (!shares.isEmpty()) {
                    final SharedPages s = any(shares);
                    final int[] refs = new int[1 + pick(s.pageCount())];
                    for (int i = 0; i < refs.length; i++) {
                        refs[i] = pick(10) == 0 ? pick(1 << 20) : s.grantRef(pick(s.pageCount()));
                    }
                    final SimulatedDomain owner = domainOf(s);
                    maps.add(host(pick(3) == 0 ? d : domainOrSelf(s.remoteDomid(), d)).grantTables()
                        .map(owner.domid(), refs, pick(2) == 0));
                }
            }
            case 2 -> closeOne(maps);
            case 3 -> {
                if (!shares.isEmpty()) {
                    any(shares).tryEndAccess();
                }
            }
            case 4 -> closeOne(shares);
            case 5 -> channels.add(host(d).eventChannels().allocateUnbound(anyDomain().domid(), new CountingHandler(pick(2) == 0)));
            case 6 -> {
                if (!channels.isEmpty()) {
                    final EventChannel c = any(channels);
                    final SimulatedDomain owner = domainOf(c);
                    channels.add(host(domainOrSelf(c.remoteDomid(), d)).eventChannels()
                        .bindInterdomain(owner.domid(), c.localPort(), new CountingHandler(true)));
                }
            }
            case 7 -> {
                if (!channels.isEmpty()) {
                    any(channels).notifyPeer();
                }
            }
            case 8 -> {
                if (!channels.isEmpty()) {
                    any(channels).unmask();
                }
            }
            case 9 -> host(d).eventChannels().poll(1 + pick(8));
            case 10 -> closeOne(channels);
            case 11 -> {
                if (!shares.isEmpty()) {
                    final SharedPages s = any(shares);
                    final GrantCopyBatch batch = new GrantCopyBatch(2);
                    final UnsafeBuffer local = new UnsafeBuffer(new byte[4096]);
                    batch.addGrantToLocal(domainOf(s).domid(), s.grantRef(0), pick(4096), local, 0, pick(64));
                    batch.addLocalToGrant(local, 0, domainOf(s).domid(), s.grantRef(pick(s.pageCount())), pick(4096), pick(64));
                    host(domainOrSelf(s.remoteDomid(), d)).grantTables().copy(batch);
                }
            }
            case 12 -> xen.advanceTime(pick(3_000_000));
            case 13 -> {
                if (pick(2) == 0 || timers.isEmpty()) {
                    timers.add(host(d).timers().schedule(0, xen.nanoTime() + pick(2_000_000), (t, now) -> { }));
                } else {
                    closeOne(timers);
                }
            }
            case 14 -> {
                if (pick(2) == 0 || foreign.isEmpty()) {
                    final SimulatedDomain target = domains.get(1 + pick(domains.size() - 1));
                    foreign.add(xen.dom0().host().foreignMemory().mapFrames(target.domid(),
                        new long[] {pick(64), pick(1 << 16)}, pick(2) == 0));
                } else {
                    closeOne(foreign);
                }
            }
            case 15 -> {
                if (pick(8) == 0 && domains.size() > 1) {
                    final SimulatedDomain victim = domains.get(1 + pick(domains.size() - 1));
                    victim.destroy();
                    domains.remove(victim);
                    domains.add(xen.createDomain("replacement-" + victim.domid()));
                }
            }
            default -> {
                if (!maps.isEmpty() && pick(2) == 0) {
                    final MappedGrants m = any(maps);
                    m.setUnmapNotify(pick(2) == 0 ? -1 : pick(m.pageCount() * 4096), -1);
                } else if (!shares.isEmpty()) {
                    final SharedPages s = any(shares);
                    s.setUnmapNotify(pick(s.pageCount() * 4096), channels.isEmpty() ? -1 : any(channels).localPort());
                }
            }
        }
    }

    private SimulatedDomain domainOf(final XenHandle h) {
        // The description names the owner: "... of domN ..." / "event channel domN ...".
        final String s = h.describe();
        for (final SimulatedDomain d : xen.domains()) {
            if (s.startsWith("event channel dom" + d.domid() + " ") || s.startsWith("shared pages of dom" + d.domid() + " ")) {
                return d;
            }
        }
        return xen.dom0();
    }

    private SimulatedDomain domainOrSelf(final int domid, final SimulatedDomain fallback) {
        final SimulatedDomain d = xen.domain(domid);
        return d != null && d.state() == DomainState.RUNNING ? d : fallback;
    }

    private <T extends XenHandle> void closeOne(final List<T> list) {
        if (!list.isEmpty()) {
            list.remove(pick(list.size())).close();
        }
    }

    /** The invariants that hold between any two operations. */
    void checkInvariants() {
        long reading = 0;
        for (final SimulatedDomain d : xen.domains()) {
            if (d.state() == DomainState.DEAD) {
                continue;
            }
            for (int ref = 0; ref < d.grantEntries(); ref++) {
                final GrantEntrySnapshot e = d.grantEntry(ref);
                if (e.reading()) {
                    reading++;
                }
                assertTrue(!e.writing() || e.reading(), () -> "GTF_writing without GTF_reading: " + e);
                assertTrue((e.flags() & GrantTable.GTF_TYPE_MASK) == GrantTable.GTF_PERMIT_ACCESS || e.flags() == 0,
                    () -> "an entry the simulator never writes: " + e);
            }
        }
        final ResourceCounts r = xen.resources();
        assertEquals(reading, r.pinnedGrantRefs(), "pinned references are exactly the entries marked reading");
        assertTrue(r.grantMappings() >= 0 && r.foreignMappings() >= 0 && r.boundPorts() >= 0 && r.grantRefs() >= 0, r::toString);
        assertTrue(r.grantMappings() <= maps.size(), r::toString);
        assertTrue(r.foreignMappings() <= foreign.size(), r::toString);
        assertTrue(r.pendingTimers() <= timers.size(), r::toString);
    }

    /** Closes every handle still open; afterwards nothing may be held. */
    @Override
    public void close() {
        for (final List<? extends XenHandle> list : List.of(maps, foreign, timers, channels, shares)) {
            for (final XenHandle h : list) {
                if (!h.isClosed()) {
                    h.close();
                }
            }
            list.clear();
        }
        checkInvariants();
        assertEquals(ResourceCounts.ZERO, xen.resources(), () -> "held after closing everything; " + xen.faultLog());
    }
}
