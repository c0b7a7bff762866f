package io.xen4j.balloon;

import static org.junit.jupiter.api.Assertions.fail;

import io.xen4j.hal.memory.DomainConfig;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** One simulated host, a guest of 64 MiB maximum starting at 32 MiB, xenstored, and both balloon sides. */
final class BalloonWorld implements AutoCloseable {
    static final long MAX_PAGES = 16_384;
    static final long INITIAL_PAGES = 8_192;

    final SimulatedXen xen;
    final SimulatedDomain guest;
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final BalloonToolstack toolstack;
    final BalloonGuest balloon;
    final List<BalloonStatus> progress = new ArrayList<>();

    BalloonWorld(final SimulatedXen xen, final BalloonConfig config) {
        this.xen = xen;
        this.guest = xen.createDomain(DomainConfig.guest("balloon-guest").withPages(MAX_PAGES, INITIAL_PAGES));
        final int g = guest.domid();
        xenstore.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(g);
            core.createDomainHome(g, "balloon-guest");
        });
        dom0Store = XenStoreClient.connect(InProcessTransport.connect(xenstore, 0));
        guestStore = XenStoreClient.connect(InProcessTransport.connect(xenstore, g));
        toolstack = new BalloonToolstack(dom0Store, g);
        balloon = new BalloonGuest(guest.host(), guestStore, config, s -> {
            synchronized (progress) {
                progress.add(s);
            }
        }).start();
    }

    BalloonWorld(final BalloonConfig config) {
        this(SimulatedXen.create(), config);
    }

    /** Runs the balloon's steps on this thread until the status matches, failing after 10 s. */
    BalloonStatus driveUntil(final Predicate<BalloonStatus> done) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            final BalloonStatus s = balloon.status();
            if (done.test(s)) {
                return s;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("balloon never reached the expected state; last " + s);
            }
            if (balloon.doWork() == 0) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Sets a target and runs the balloon until it read that target and settled. */
    BalloonStatus target(final String kib) {
        final long before = balloon.targetReads();
        dom0Store.write("/local/domain/" + guest.domid() + "/memory/target", kib);
        return settle(before);
    }

    /** Runs the balloon until it read the target after {@code before} reads and settled. */
    BalloonStatus settle(final long before) {
        return driveUntil(s -> balloon.targetReads() > before
            && (s.state() == BalloonState.REACHED || s.state() == BalloonState.STALLED));
    }

    @Override
    public void close() {
        balloon.close();
        guestStore.close();
        dom0Store.close();
        xen.close();
    }
}
