package io.xen4j.examples;

import io.xen4j.balloon.BalloonConfig;
import io.xen4j.balloon.BalloonGuest;
import io.xen4j.balloon.BalloonState;
import io.xen4j.balloon.BalloonStatus;
import io.xen4j.balloon.BalloonToolstack;
import io.xen4j.hal.memory.DomainConfig;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The demo's balloon part: the toolstack in dom0 sets {@code memory/static-max} and
 * {@code memory/target} for a guest of 64 MiB maximum that boots with 32 MiB; the guest's balloon
 * gives pages back until it reaches the target, then claims some again for a second target. The
 * balloon is polled on this thread, so the run is the same every time.
 */
final class BalloonDemo {
    private static final long MAX_PAGES = 16_384;
    private static final long INITIAL_PAGES = 8_192;

    private BalloonDemo() {
    }

    static void run(final PrintStream out) {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain guest = xen.createDomain(DomainConfig.guest("balloon-guest").withPages(MAX_PAGES, INITIAL_PAGES));
            final XenstoreService xenstore = new XenstoreService();
            xenstore.run(core -> {
                core.createDomainHome(0, "Domain-0");
                core.introduceDomain(guest.domid());
                core.createDomainHome(guest.domid(), "balloon-guest");
            });
            try (XenStoreClient dom0 = XenStoreClient.connect(InProcessTransport.connect(xenstore, 0));
                 XenStoreClient domU = XenStoreClient.connect(InProcessTransport.connect(xenstore, guest.domid()));
                 BalloonGuest balloon = new BalloonGuest(guest.host(), domU, BalloonConfig.DEFAULTS, null).start()) {
                final BalloonToolstack toolstack = new BalloonToolstack(dom0, guest.domid());
                out.printf("Balloon: dom%d \"%s\" has %d KiB (maximum %d KiB), %d host pages free%n", guest.domid(),
                    guest.name(), guest.currentPages() * 4, MAX_PAGES * 4, xen.freeHostPages());
                toolstack.setStaticMax(MAX_PAGES * 4);
                reach(out, xen, guest, toolstack, balloon, 16_384);
                reach(out, xen, guest, toolstack, balloon, 49_152);
            }
        }
    }

    private static void reach(final PrintStream out, final SimulatedXen xen, final SimulatedDomain guest,
                              final BalloonToolstack toolstack, final BalloonGuest balloon, final long targetKiB) {
        final long before = guest.currentPages() * 4;
        final long reads = balloon.targetReads();
        toolstack.setTarget(targetKiB);
        out.printf("  toolstack: memory/target = %d KiB (was at %d KiB)%n", targetKiB, before);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int batches = 0;
        BalloonStatus s = balloon.status();
        while (!(balloon.targetReads() > reads && (s.state() == BalloonState.REACHED || s.state() == BalloonState.STALLED))) {
            if (System.nanoTime() - deadline > 0) {
                out.printf("  guest: gave up waiting: %s%n", s);
                return;
            }
            final BalloonState prev = s.state();
            if (balloon.doWork() == 0) {
                Thread.onSpinWait();
            }
            s = balloon.status();
            if (s.state() == BalloonState.RELEASING || s.state() == BalloonState.CLAIMING) {
                batches++;
            } else if (prev != s.state() && s.state() == BalloonState.STALLED) {
                out.printf("  guest: stalled: %s%n", s.reason());
            }
        }
        out.printf("  guest: %s %d KiB in %d batches of up to %d pages; now %d KiB (%s)%n",
            before > s.currentKiB() ? "gave back" : "claimed", Math.abs(before - s.currentKiB()), batches,
            BalloonConfig.DEFAULTS.batchPages(), s.currentKiB(), s.state());
        out.printf("  toolstack reads back: guest reports %d KiB, hypervisor counts %d KiB; %d host pages free%n",
            toolstack.reportedCurrentKiB(), guest.currentPages() * 4, xen.freeHostPages());
    }
}
