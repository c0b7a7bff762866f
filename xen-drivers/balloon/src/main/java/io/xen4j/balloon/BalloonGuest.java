package io.xen4j.balloon;

import io.xen4j.hal.api.MemoryReservation;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsWatch;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.agrona.concurrent.Agent;
import org.jspecify.annotations.Nullable;

/**
 * The guest's balloon driver, as Linux's {@code xen-balloon.c} and {@code balloon.c}: it watches
 * {@code memory/target} (KiB, written by the toolstack) and moves the domain's reservation
 * towards it through the HAL's {@link MemoryReservation}, one batch of frames per
 * {@link #doWork()}.
 *
 * <p>The target is untrusted: a value that is not a decimal KiB count (non-numeric, negative,
 * empty, garbage) is ignored with a reason in the status and the previous target kept; a target
 * above {@code memory/static-max} or the hypervisor's maximum reservation is clamped to it; a
 * target below {@link BalloonConfig#minimumPages()} is raised to it. When the hypervisor refuses
 * pages the balloon waits, doubling the wait from {@link BalloonConfig#initialBackoffNanos()} up
 * to {@link BalloonConfig#maxBackoffNanos()}, and stalls after {@link BalloonConfig#maxRetries()}
 * refusals until the next target. Frames in use (granted, mapped) cannot be given back; they are
 * pinned and skipped.
 *
 * <p>Progress goes to a {@link BalloonListener} and, unless disabled, to {@code data/balloon/}
 * ({@code target_kb}, {@code current_kb}, {@code state}), a directory the guest may write (libxl
 * makes {@code memory/} read-only to the guest). Linux keeps the same numbers in sysfs
 * ({@code xen_memory0/target_kb}, {@code xen_memory0/info/current_kb}) and publishes nothing
 * in xenstore; the toolstack of a real host reads the reservation from the hypervisor instead
 * ({@code XEN_DOMCTL_getdomaininfo}), and {@link BalloonToolstack} treats what the guest publishes
 * as the guest's claim only.
 *
 * <p>Threads: {@link #doWork()} runs on one thread (an agent runner, or the caller's loop); the
 * watch only raises a flag.
 */
public final class BalloonGuest implements Agent, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BalloonGuest.class.getName());

    private final MemoryReservation reservation;
    private final XenStoreClient store;
    private final BalloonConfig config;
    private final LongSupplier clock;
    private final @Nullable BalloonListener listener;
    private final int domid;
    private final String home;
    private final AtomicBoolean targetChanged = new AtomicBoolean(true);
    private final long[] batch;
    private @Nullable FrameBook book;
    private @Nullable XsWatch watch;
    private boolean publish;
    private volatile boolean closed;

    private long requestedKiB = -1;
    private long targetPages = -1;
    private int retries;
    private volatile long targetReads;
    private long retryAtNanos;
    private String reason = "";
    private volatile BalloonStatus status;

    /**
     * Creates the balloon of the domain a host acts for.
     *
     * @param host     the domain's host; it must offer {@link XenService#MEMORY_RESERVATION}
     * @param store    the domain's xenstore connection
     * @param config   how to balloon
     * @param listener told of progress, or null
     */
    public BalloonGuest(final XenHost host, final XenStoreClient store, final BalloonConfig config,
                        final @Nullable BalloonListener listener) {
        this.reservation = host.memoryReservation();
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = listener;
        this.domid = host.domid();
        this.home = "/local/domain/" + domid;
        // Backoff is timed on the Xen clock when there is one: on the simulated host it is virtual
        // time, so tests decide when a retry is due.
        this.clock = host.supports(XenService.CLOCK) ? host.clock()::nanoTime : System::nanoTime;
        this.batch = new long[config.batchPages()];
        this.publish = config.publishProgress();
        this.status = new BalloonStatus(BalloonState.WAITING, -1, -1, reservation.currentPages(), 0, 0, 0, "");
    }

    /**
     * Starts watching {@code memory/target}. The watch fires once at once, so an existing target
     * is read by the next {@link #doWork()}.
     *
     * @return this
     */
    public BalloonGuest start() {
        if (watch != null || closed) {
            throw new IllegalStateException("balloon of dom" + domid + " already " + (closed ? "closed" : "started"));
        }
        book = new FrameBook(reservation.currentPages(), reservation.maximumPages());
        watch = store.watch(home + "/memory/target", "balloon", ev -> targetChanged.set(true));
        return this;
    }

    /**
     * The balloon's state after the last step.
     *
     * @return the status
     */
    public BalloonStatus status() {
        return status;
    }

    /**
     * How many times {@code memory/target} was read, valid or not.
     *
     * @return the count
     */
    public long targetReads() {
        return targetReads;
    }

    @Override
    public String roleName() {
        return "balloon-dom" + domid;
    }

    /**
     * One step: re-reads the target if it changed, then gives back or claims at most one batch.
     * Never throws: a failure becomes the status's reason.
     *
     * @return the work done, 0 when idle
     */
    @Override
    public int doWork() {
        final FrameBook b = book;
        if (closed || b == null) {
            return 0;
        }
        int work = 0;
        try {
            if (targetChanged.getAndSet(false)) {
                work += readTarget();
            }
            if (targetPages < 0) {
                return work;
            }
            final BalloonState s = status.state();
            if (s == BalloonState.STALLED || s == BalloonState.BACKING_OFF && clock.getAsLong() - retryAtNanos < 0) {
                return work;
            }
            work += step(b);
        } catch (final XenStoreException | XenHalException e) {
            // A failing store or hypervisor call costs this step only; the next target starts over.
            reason = "dom" + domid + " balloon: " + e.getMessage();
            update(BalloonState.STALLED, b);
            work++;
        } catch (final RuntimeException e) {
            // Nothing throws out of an agent loop (DESIGN rule 1); a bug here is logged once per target.
            reason = "dom" + domid + " balloon failed: " + e;
            LOG.log(System.Logger.Level.ERROR, reason, e);
            update(BalloonState.STALLED, b);
            work++;
        }
        return work;
    }

    private int readTarget() {
        final String raw;
        try {
            raw = store.read(home + "/memory/target");
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return 0;
            }
            throw e;
        }
        targetReads++;
        final long kib = BalloonTargets.parseKiB(raw);
        final FrameBook b = Objects.requireNonNull(book);
        if (kib == BalloonTargets.INVALID) {
            reason = BalloonTargets.rejection(home + "/memory/target", raw);
            LOG.log(System.Logger.Level.WARNING, "dom{0}: {1}", domid, reason);
            update(status.state(), b);
            return 1;
        }
        long staticMax = Long.MAX_VALUE;
        try {
            final long sm = BalloonTargets.parseKiB(store.read(home + "/memory/static-max"));
            if (sm != BalloonTargets.INVALID) {
                staticMax = BalloonTargets.kibToPages(sm);
            }
        } catch (final XenStoreException e) {
            if (!e.is("ENOENT")) {
                throw e;
            }
        }
        final long requested = BalloonTargets.kibToPages(kib);
        final long max = reservation.maximumPages();
        final long clamped = BalloonTargets.clamp(requested, config.minimumPages(), staticMax, max);
        requestedKiB = kib;
        targetPages = clamped;
        retries = 0;
        if (clamped < requested) {
            reason = "target " + kib + " KiB is above " + (staticMax <= max ? "static-max " + BalloonTargets.pagesToKiB(staticMax)
                : "the maximum reservation " + BalloonTargets.pagesToKiB(max)) + " KiB: clamped to "
                + BalloonTargets.pagesToKiB(clamped) + " KiB";
        } else if (clamped > requested) {
            reason = "target " + kib + " KiB is below the floor of " + BalloonTargets.pagesToKiB(clamped) + " KiB: raised";
        } else {
            reason = "";
        }
        update(BalloonState.WAITING, b);
        return 1;
    }

    private int step(final FrameBook b) {
        final long current = reservation.currentPages();
        final long diff = targetPages - current;
        if (diff == 0) {
            if (status.state() != BalloonState.REACHED) {
                retries = 0;
                update(BalloonState.REACHED, b);
                return 1;
            }
            return 0;
        }
        if (diff < 0) {
            final int n = b.pickForRelease(batch, (int) Math.min(-diff, batch.length));
            if (n == 0) {
                reason = "no frame left to give back: " + b.pinnedCount() + " frame(s) in use";
                update(BalloonState.STALLED, b);
                return 1;
            }
            final int released = reservation.decreaseReservation(batch, n);
            b.released(batch, released);
            if (released < n) {
                // The frame is in use (granted or mapped): skip it from now on, as Linux's
                // allocator would never hand a busy page to the balloon.
                b.pin(batch[released]);
            }
            update(BalloonState.RELEASING, b);
            return 1;
        }
        final int n = b.pickForClaim(batch, (int) Math.min(diff, batch.length));
        if (n == 0) {
            reason = "no frame left to populate below the maximum reservation";
            update(BalloonState.STALLED, b);
            return 1;
        }
        final int claimed = reservation.increaseReservation(batch, n);
        b.claimed(batch, claimed);
        if (claimed < n) {
            retries++;
            if (retries > config.maxRetries()) {
                reason = "the hypervisor refused pages " + retries + " times; stopped at " + (current + claimed)
                    + " of " + targetPages + " pages until the next target";
                LOG.log(System.Logger.Level.WARNING, "dom{0}: balloon {1}", domid, reason);
                update(BalloonState.STALLED, b);
                return 1;
            }
            final int shift = Math.min(retries - 1, 30);
            final long wait = Math.min(config.maxBackoffNanos(),
                config.initialBackoffNanos() > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : config.initialBackoffNanos() << shift);
            retryAtNanos = clock.getAsLong() + wait;
            reason = "the hypervisor gave " + claimed + " of " + n + " pages; retry " + retries + " of "
                + config.maxRetries() + " in " + wait / 1_000_000 + " ms";
            update(BalloonState.BACKING_OFF, b);
            return 1;
        }
        retries = 0;
        update(BalloonState.CLAIMING, b);
        return 1;
    }

    private void update(final BalloonState state, final FrameBook b) {
        long current;
        try {
            current = reservation.currentPages();
        } catch (final XenHalException e) {
            // The host is closing: keep the last count rather than throw out of the step.
            current = status.currentPages();
        }
        final BalloonStatus s = new BalloonStatus(state, requestedKiB, targetPages, current,
            b.balloonedCount(), b.pinnedCount(), retries, reason);
        status = s;
        if (publish) {
            publish(s);
        }
        final BalloonListener l = listener;
        if (l != null) {
            try {
                l.onProgress(s);
            } catch (final RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "dom" + domid + ": balloon listener failed", e);
            }
        }
    }

    private void publish(final BalloonStatus s) {
        try {
            final String dir = home + "/data/balloon/";
            store.write(dir + "target_kb", Long.toString(s.targetPages() < 0 ? -1 : BalloonTargets.pagesToKiB(s.targetPages())));
            store.write(dir + "current_kb", Long.toString(s.currentKiB()));
            // state last: a toolstack that watches the directory sees the numbers first.
            store.write(dir + "state", s.state().name().toLowerCase(java.util.Locale.ROOT));
        } catch (final XenStoreException e) {
            // Publishing is a courtesy: a store that refuses (permissions, quota) does not stop the balloon.
            publish = false;
            LOG.log(System.Logger.Level.WARNING, "dom{0}: not publishing balloon progress: {1}", domid, e.getMessage());
        }
    }

    /**
     * Stops watching. Pages stay where they are.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        final XsWatch w = watch;
        if (w != null) {
            w.close();
        }
        final FrameBook b = book;
        status = new BalloonStatus(BalloonState.CLOSED, requestedKiB, targetPages, status.currentPages(),
            b == null ? 0 : b.balloonedCount(), b == null ? 0 : b.pinnedCount(), retries, reason);
    }

    @Override
    public void onClose() {
        close();
    }
}
