package io.xen4j.examples;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.FaultKind;
import io.xen4j.hal.memory.FaultPlan;
import io.xen4j.hal.memory.FaultRule;
import io.xen4j.hal.memory.GrantEntrySnapshot;
import io.xen4j.hal.memory.InjectedFault;
import io.xen4j.hal.memory.ResourceCounts;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The second half of the demo: a frontend in a guest and a backend in dom0 on the simulated Xen
 * host, talking through a shared page and an event channel as split drivers do, with one
 * notification lost on the way and recovered by re-checking the page after a timeout.
 */
final class HalDemo {
    /** The seed of the run: the same seed gives the same output. */
    static final long SEED = 42;

    // One mailbox per direction on the shared page: a sequence number written last (release) and
    // read first (acquire), a length, then the bytes.
    private static final int TO_BACK = 0;
    private static final int TO_FRONT = 2048;
    private static final int SEQ = 0;
    private static final int LENGTH = 4;
    private static final int DATA = 8;
    private static final long WAIT = TimeUnit.MILLISECONDS.toNanos(10);

    private HalDemo() {
    }

    static void run(final PrintStream out) {
        // Lose the frontend's second notification, as a flaky event channel would.
        final FaultPlan plan = FaultPlan.of(FaultRule.of(FaultKind.DROP_NOTIFICATION).actor(1).nth(2));
        try (SimulatedXen xen = SimulatedXen.builder().seed(SEED).faultPlan(plan).build()) {
            final SimulatedDomain guest = xen.createDomain("frontend");
            final XenHost front = guest.host();
            final XenHost back = xen.dom0().host();
            out.printf("Simulated Xen %s (seed %d): dom%d \"%s\" (privileged) and dom%d \"%s\" (%s guest)%n",
                back.platform().version(), xen.seed(), back.domid(), xen.dom0().name(), front.domid(), guest.name(),
                front.platform().guestType());

            final int[] backEvents = new int[1];
            final int[] frontEvents = new int[1];
            try (SharedPages page = front.grantTables().share(back.domid(), 1, true);
                 EventChannel frontPort = front.eventChannels().allocateUnbound(back.domid(), ch -> frontEvents[0]++);
                 MappedGrants mapped = back.grantTables().map(front.domid(), page.grantRef(0), true);
                 EventChannel backPort = back.eventChannels().bindInterdomain(front.domid(), frontPort.localPort(),
                     ch -> backEvents[0]++)) {
                out.printf("  dom%d shares a page with dom%d: grant ref %d; dom%d maps it writable%n",
                    front.domid(), back.domid(), page.grantRef(0), back.domid());
                final GrantEntrySnapshot entry = guest.grantEntry(page.grantRef(0));
                out.printf("  grant entry %d in dom%d's table: flags 0x%04x (permit_access%s%s), domid %d%n",
                    entry.ref(), front.domid(), entry.flags(), entry.reading() ? ", reading" : "",
                    entry.writing() ? ", writing" : "", entry.domid());
                out.printf("  event channel: dom%d port %d <-> dom%d port %d%n",
                    front.domid(), frontPort.localPort(), back.domid(), backPort.localPort());
                // Xen gives the binder one event at bind time; consume it and start clean.
                back.eventChannels().poll(8);
                backPort.unmask();
                backEvents[0] = 0;

                final AtomicBuffer f = page.buffer();
                final AtomicBuffer b = mapped.buffer();
                send(f, TO_BACK, 1, "ping from the frontend");
                frontPort.notifyPeer();
                out.printf("  dom%d -> dom%d: \"%s\"%n", front.domid(), back.domid(), "ping from the frontend");
                receive(out, back, backPort, b, TO_BACK, 1, backEvents);

                send(b, TO_FRONT, 1, "pong from the backend");
                backPort.notifyPeer();
                out.printf("  dom%d -> dom%d: \"%s\"%n", back.domid(), front.domid(), "pong from the backend");
                receive(out, front, frontPort, f, TO_FRONT, 1, frontEvents);

                send(f, TO_BACK, 2, "second ping, notification lost");
                frontPort.notifyPeer();
                out.printf("  dom%d -> dom%d: \"%s\"%n", front.domid(), back.domid(), "second ping, notification lost");
                for (final InjectedFault fault : xen.faultLog().entries()) {
                    out.printf("  fault injected: %s%n", fault);
                }
                receive(out, back, backPort, b, TO_BACK, 2, backEvents);
            }
            out.printf("  teardown: unmapped, access ended, ports closed; still held: %s%n",
                xen.resources().equals(ResourceCounts.ZERO) ? "nothing" : xen.resources());
            out.printf("  %d fault(s) injected and survived; %s%n", xen.faultLog().size(), xen.faultLog().replayHint());
        }
    }

    private static void send(final AtomicBuffer page, final int box, final int seq, final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        page.putInt(box + LENGTH, bytes.length);
        page.putBytes(box + DATA, bytes);
        // Published last: the reader sees the bytes once it sees the sequence number.
        page.putIntRelease(box + SEQ, seq);
    }

    /**
     * Waits for an event, then reads the mailbox; if no event comes within the timeout, reads
     * the mailbox anyway, as a driver re-checks its ring when a notification may have been lost.
     */
    private static void receive(final PrintStream out, final XenHost host, final EventChannel port,
        final AtomicBuffer page, final int box, final int expectedSeq, final int[] events) {
        final boolean notified = host.eventChannels().awaitEvent(WAIT);
        host.eventChannels().poll(8);
        port.unmask();
        final int seq = page.getIntAcquire(box + SEQ);
        // Read once, check, then copy out: the page belongs to another domain (SECURITY-RULES R1, R2).
        final int length = page.getInt(box + LENGTH);
        if (seq != expectedSeq || length < 0 || length > 2048 - DATA) {
            out.printf("  dom%d: nothing valid in the mailbox (seq %d, length %d)%n", host.domid(), seq, length);
            return;
        }
        final byte[] bytes = new byte[length];
        page.getBytes(box + DATA, bytes);
        final String text = new String(bytes, StandardCharsets.UTF_8);
        if (notified && events[0] > 0) {
            out.printf("  dom%d <- \"%s\" (event on port %d)%n", host.domid(), text, port.localPort());
        } else {
            out.printf("  dom%d: no event within %d ms; re-checked the page and found \"%s\": survived%n",
                host.domid(), TimeUnit.NANOSECONDS.toMillis(WAIT), text);
        }
        events[0] = 0;
    }
}
