package io.xen4j.balloon;

import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsWatch;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The toolstack's side of ballooning, as libxl does it: {@code memory/static-max} and
 * {@code memory/target} in KiB under the domain's home ({@code libxl_set_memory_target}), and
 * waiting until the guest reached the target ({@code libxl_wait_for_memory_target}).
 *
 * <p>What the guest reached is read from {@code data/balloon/current_kb}, which
 * {@link BalloonGuest} publishes; the guest is untrusted, so the value is parsed like any hostile
 * input and an overload takes the hypervisor's own count of the domain's pages (on a live host
 * {@code XEN_DOMCTL_getdomaininfo}'s {@code tot_pages}, in the simulated host
 * {@code SimulatedDomain::currentPages}) when the caller has it.
 */
public final class BalloonToolstack {
    private final XenStoreClient store;
    private final int domid;
    private final String home;

    /**
     * Creates the toolstack side for one guest.
     *
     * @param store a dom0 xenstore connection
     * @param domid the guest
     */
    public BalloonToolstack(final XenStoreClient store, final int domid) {
        this.store = Objects.requireNonNull(store, "store");
        if (domid <= 0 || domid > 0x7FEF) {
            throw new IllegalArgumentException("domid=" + domid + ": a guest's id is 1..32751");
        }
        this.domid = domid;
        this.home = "/local/domain/" + domid;
    }

    /**
     * Writes {@code memory/static-max}, the most the guest may balloon up to.
     *
     * @param kib KiB, at least 4
     */
    public void setStaticMax(final long kib) {
        if (kib < BalloonTargets.KIB_PER_PAGE) {
            throw new IllegalArgumentException("dom" + domid + " static-max " + kib + " KiB: need at least one page");
        }
        store.write(home + "/memory/static-max", Long.toString(kib));
    }

    /**
     * Writes {@code memory/target}, checked against {@code memory/static-max} when that exists.
     *
     * @param kib KiB, 0..static-max
     * @throws IllegalArgumentException naming the domain when the target is negative or above static-max
     */
    public void setTarget(final long kib) {
        if (kib < 0) {
            throw new IllegalArgumentException("dom" + domid + " target " + kib + " KiB is negative");
        }
        final long max = staticMaxKiB();
        if (max != BalloonTargets.INVALID && kib > max) {
            throw new IllegalArgumentException("dom" + domid + " target " + kib + " KiB is above static-max " + max + " KiB");
        }
        store.write(home + "/memory/target", Long.toString(kib));
    }

    /**
     * Reads {@code memory/static-max}.
     *
     * @return KiB, or {@link BalloonTargets#INVALID} when missing or not a number
     */
    public long staticMaxKiB() {
        return readKiB(home + "/memory/static-max");
    }

    /**
     * Reads {@code memory/target}.
     *
     * @return KiB, or {@link BalloonTargets#INVALID} when missing or not a number
     */
    public long targetKiB() {
        return readKiB(home + "/memory/target");
    }

    /**
     * What the guest says it reached ({@code data/balloon/current_kb}).
     *
     * @return KiB, or {@link BalloonTargets#INVALID} when the guest published nothing usable
     */
    public long reportedCurrentKiB() {
        return readKiB(home + "/data/balloon/current_kb");
    }

    /**
     * The guest's published balloon state ({@code data/balloon/state}).
     *
     * @return the state, or null when missing or not a state name
     */
    public @Nullable BalloonState reportedState() {
        final String s;
        try {
            s = store.read(home + "/data/balloon/state").strip();
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
        for (final BalloonState st : BalloonState.values()) {
            if (st.name().equalsIgnoreCase(s)) {
                return st;
            }
        }
        return null;
    }

    /**
     * Waits until the guest reports a reservation within {@code toleranceKiB} of {@code targetKiB}
     * or says it stalled, watching {@code data/balloon}.
     *
     * @param targetKiB    the target set
     * @param toleranceKiB how far off counts as reached (libxl allows slack for the guest's own use)
     * @param timeout      how long to wait
     * @return the KiB the guest reported last
     * @throws TimeoutException naming the domain, the target and the last report, when the guest
     *                          neither reached it nor stalled in time
     * @throws BalloonStalledException when the guest reports it stalled short of the target
     */
    public long awaitReported(final long targetKiB, final long toleranceKiB, final Duration timeout) throws TimeoutException {
        return await(targetKiB, toleranceKiB, timeout, null);
    }

    /**
     * Waits until the hypervisor's count of the domain's pages is within {@code toleranceKiB} of
     * {@code targetKiB}, re-checking whenever the guest publishes progress.
     *
     * @param targetKiB    the target set
     * @param toleranceKiB how far off counts as reached
     * @param timeout      how long to wait
     * @param actualPages  the hypervisor's count of the domain's pages
     * @return the KiB the hypervisor counted last
     * @throws TimeoutException naming the domain, the target and the last count
     * @throws BalloonStalledException when the guest reports it stalled short of the target
     */
    public long awaitActual(final long targetKiB, final long toleranceKiB, final Duration timeout,
                            final LongSupplier actualPages) throws TimeoutException {
        return await(targetKiB, toleranceKiB, timeout, Objects.requireNonNull(actualPages, "actualPages"));
    }

    private long await(final long targetKiB, final long toleranceKiB, final Duration timeout,
                       final @Nullable LongSupplier actualPages) throws TimeoutException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long last = BalloonTargets.INVALID;
        final Object signal = new Object();
        final long[] events = {0};
        try (XsWatch ignored = store.watch(home + "/data/balloon", "balloon-wait-" + domid, ev -> {
            synchronized (signal) {
                events[0]++;
                signal.notifyAll();
            }
        })) {
            long seen = -1;
            while (true) {
                last = actualPages == null ? reportedCurrentKiB() : BalloonTargets.pagesToKiB(actualPages.getAsLong());
                if (last != BalloonTargets.INVALID && Math.abs(last - targetKiB) <= toleranceKiB) {
                    return last;
                }
                final BalloonState st = reportedState();
                if (st == BalloonState.STALLED) {
                    throw new BalloonStalledException("dom" + domid + " balloon stalled at " + last + " KiB short of target "
                        + targetKiB + " KiB", last);
                }
                synchronized (signal) {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("dom" + domid + " did not reach " + targetKiB + " KiB (+-" + toleranceKiB
                            + ") in " + timeout.toMillis() + " ms: last " + (actualPages == null ? "reported " : "counted ")
                            + last + " KiB, state " + st);
                    }
                    if (events[0] == seen) {
                        // Also poll: a watch event may be merged or the hypervisor's count may move without one.
                        TimeUnit.NANOSECONDS.timedWait(signal, Math.min(left, 50_000_000L));
                    }
                    seen = events[0];
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for dom" + domid + " to reach " + targetKiB + " KiB");
        }
    }

    private long readKiB(final String path) {
        try {
            return BalloonTargets.parseKiB(store.read(path));
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return BalloonTargets.INVALID;
            }
            throw e;
        }
    }
}
