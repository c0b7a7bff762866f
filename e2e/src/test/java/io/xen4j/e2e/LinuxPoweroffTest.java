package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.control.ControlToolstack;
import io.xen4j.control.ShutdownAction;
import io.xen4j.hal.linux.LiveXen;
import io.xen4j.hal.linux.live.Dom0TestRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * xen4j's control toolstack side shuts a Linux guest down: {@link ControlToolstack} writes
 * {@code poweroff} to the harness's domU's {@code control/shutdown}, Linux
 * ({@code drivers/xen/manage.c}) clears the node in a transaction (the acknowledgement) and runs
 * {@code kernel.poweroff_cmd} (the guest's {@code /init} set a script that powers off), and the
 * domain is then gone: xl's monitor destroys it ({@code on_poweroff = "destroy"}), xenstored
 * releases it and {@code xl list} no longer names it.
 *
 * <p>It ends the guest every other dom0 test uses, so it runs last
 * ({@link Dom0TestRunner#LAST}).
 */
@LiveXen
@Order(Dom0TestRunner.LAST)
class LinuxPoweroffTest {
    @Test
    @Timeout(value = 175, unit = TimeUnit.SECONDS)
    void linuxAcknowledgesPoweroffAndTheDomainIsGone() throws Exception {
        try (LiveDomU domU = LiveDomU.find()) {
            final int domid = domU.domid();
            final ControlToolstack control = new ControlToolstack(domU.store());
            final boolean advertised = control.advertises(domid, ShutdownAction.POWEROFF);
            System.out.println("[e2e-control] dom" + domid + " (" + domU.name() + ") advertises: " + LiveDomU.dump(domU.store(),
                "/local/domain/" + domid + "/control"));
            assertTrue(advertised, "Linux did not write control/feature-poweroff=1");

            final long started = System.nanoTime();
            control.requestShutdown(domid, ShutdownAction.POWEROFF, Duration.ofSeconds(60));
            final double acked = (System.nanoTime() - started) / 1e9;
            System.out.printf("[e2e-control] poweroff acknowledged (control/shutdown cleared by Linux) after %.2f s%n", acked);

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean introduced = true;
            String xlList = "";
            while (System.nanoTime() - deadline < 0) {
                introduced = domU.store().isDomainIntroduced(domid);
                xlList = xlList();
                if (!introduced && !names(xlList, domU.name())) {
                    break;
                }
                Thread.sleep(250);
            }
            final double gone = (System.nanoTime() - started) / 1e9;
            System.out.printf("[e2e-control] dom%d gone %.1f s after the request (xenstored: introduced=%s); xl list:%n%s",
                domid, gone, introduced, xlList);
            try {
                domU.console().await(l -> l.startsWith("poweroff requested"), Duration.ofSeconds(5), "the guest's poweroff line")
                    .lines().forEach(l -> System.out.println("[e2e-control] the guest: XEN4J-DOMU: " + l));
            } catch (final IOException e) {
                // Informational: the guest may die before xenconsoled drained its last line.
                System.out.println("[e2e-control] the guest's last line was not logged: " + e.getMessage());
            }
            assertFalse(introduced, "xenstored still has dom" + domid);
            assertFalse(names(xlList, domU.name()), "xl list still names " + domU.name() + ":\n" + xlList);
        }
    }

    private static boolean names(final String xlList, final String name) {
        return xlList.lines().anyMatch(l -> l.startsWith(name + " "));
    }

    /** {@code xl list}'s output (stdout and stderr), bounded in time. */
    private static String xlList() throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("xl", "list").redirectErrorStream(true).start();
        final byte[] out = p.getInputStream().readNBytes(64 * 1024);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
