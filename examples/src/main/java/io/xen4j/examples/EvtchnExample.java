package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.platform.PlatformHosts;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event channels ({@code /dev/xen/evtchn}) used directly: one side allocates an unbound port for
 * the other, the other binds to it, and notifications go each way. On the simulated host the two
 * sides are a guest and dom0; with {@code --live} both ends are in this domain (a loopback
 * channel, which Xen allows), so it runs in any domain with {@code /dev/xen/evtchn}.
 */
public final class EvtchnExample {
    private EvtchnExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--live]}
     */
    public static void main(final String[] args) {
        JvmFlags.requireAgronaAccess();
        run(args, System.out);
    }

    static void run(final String[] args, final PrintStream out) {
        final ExampleArgs a = ExampleArgs.parse(args);
        if (a.live()) {
            try (XenHost host = PlatformHosts.open()) {
                out.printf("evtchn on the live host (%s backend), loopback in dom%d%n", host.backendName(), host.domid());
                pingPong(host, host, out);
            }
            return;
        }
        try (SimulatedXen xen = SimulatedXen.create()) {
            final XenHost guest = xen.createDomain("guest").host();
            out.printf("evtchn on the simulated host: dom%d and dom%d%n", guest.domid(), xen.dom0().domid());
            pingPong(guest, xen.dom0().host(), out);
        }
    }

    static void pingPong(final XenHost a, final XenHost b, final PrintStream out) {
        final AtomicInteger atA = new AtomicInteger();
        final AtomicInteger atB = new AtomicInteger();
        final EventChannels ea = a.eventChannels();
        final EventChannels eb = b.eventChannels();
        try (EventChannel pa = ea.allocateUnbound(b.domid(), ch -> atA.incrementAndGet());
             EventChannel pb = eb.bindInterdomain(a.domid(), pa.localPort(), ch -> atB.incrementAndGet())) {
            out.printf("  dom%d port %d (%s) <-> dom%d port %d (%s)%n", a.domid(), pa.localPort(), pa.kind(), b.domid(),
                pb.localPort(), pb.kind());
            // Binding raises one event on the new port; start from a clean count.
            drain(eb, pb);
            drain(ea, pa);
            atA.set(0);
            atB.set(0);
            for (int i = 1; i <= 3; i++) {
                pa.notifyPeer();
                drain(eb, pb);
                pb.notifyPeer();
                drain(ea, pa);
                out.printf("  round %d: dom%d -> dom%d and back; events seen %d / %d%n", i, a.domid(), b.domid(),
                    atB.get(), atA.get());
            }
        }
        out.println("  ports closed");
    }

    private static void drain(final EventChannels ec, final EventChannel port) {
        ec.awaitEvent(TimeUnit.MILLISECONDS.toNanos(200));
        ec.poll(16);
        port.unmask();
    }
}
