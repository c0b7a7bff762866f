package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.hal.linux.LiveXen;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10, "netback in Java, frontend in Linux", in the harness's dom0: xen4j's netback over the
 * Linux HAL gives the running domU ({@code $XEN4J_DOMU_NAME}, started with
 * {@code --domu-vif none}) a vif bridged to a TAP in {@code xenbr0}, its backend directory under
 * {@code backend/xen4j-vif} with the dom0 kernel's xen-netback still loaded; Linux's xen-netfront
 * connects (straight from Initialising to Connected), the guest pings dom0, dom0 pings the
 * guest, and {@code seq 1 150000} crosses the rings both ways with its SHA-256 checked on both
 * sides ({@link LinuxNetfrontOnXen4jNetback} has the steps).
 */
@LiveXen
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LinuxNetfrontOnXen4jNetbackTest {
    @Test
    void linuxNetfrontPingsAndTransfersThroughXen4jNetback() throws Exception {
        final String name = System.getenv("XEN4J_DOMU_NAME");
        Assumptions.assumeTrue(name != null && !name.isEmpty(),
            "no domU: live-xen/run.sh --domu-vif none starts one and names it in XEN4J_DOMU_NAME");
        final LinuxNetfrontOnXen4jNetback.Result r;
        try {
            r = LinuxNetfrontOnXen4jNetback.run(name, System.out);
        } catch (final LinuxNetfrontOnXen4jNetback.VifTaken e) {
            Assumptions.abort(e.getMessage());
            return;
        }

        assertEquals(XenbusState.XENBUS_STATE_CONNECTED, r.backendState(), "netback state; " + r);
        final List<String> nodes = r.frontendNodes();
        // Linux's netfront followed its backend node to the other kind.
        assertTrue(nodes.stream().anyMatch(n -> n.startsWith("backend=") && n.contains("/backend/xen4j-vif/")),
            "the frontend's backend node: " + nodes);
        for (final String node : List.of("request-rx-copy=1", "feature-rx-notify=1", "state=4")) {
            assertTrue(nodes.contains(node), "Linux's netfront did not write " + node + ": " + nodes);
        }
        assertTrue(r.guestMarks().stream().anyMatch(m -> m.startsWith("net eth0 ping 10.99.0.1 ok")),
            "the guest's ping of dom0: " + r.guestMarks());
        assertTrue(r.dom0Ping().startsWith("rc 0 "), "dom0's ping of the guest: " + r.dom0Ping());
        assertEquals(r.expectedLength(), r.uploadLength(), "bytes dom0 read from the guest");
        assertEquals(r.expectedSha256(), r.uploadSha256(), "SHA-256 of the bytes dom0 read from the guest");
        final String received = "net eth0 tcp received " + r.expectedLength() + " bytes sha256 " + r.expectedSha256();
        assertTrue(r.guestMarks().stream().anyMatch(m -> m.startsWith(received)),
            "the guest's view of dom0's bytes, expected '" + received + "': " + r.guestMarks());
        assertTrue(r.backendSummary().contains("broken=null") && r.backendSummary().contains("rejected={}"),
            "netback: " + r.backendSummary());
    }
}
