package io.xen4j.console;

import static io.xen4j.console.ConsoleWorld.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xen4j.console.ConsoleStatus.State;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consoles on pseudo-terminals, as xenconsoled serves them. Skipped (with the reason) where the
 * machine has no {@code /dev/ptmx}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class PseudoTerminalTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aPtyCarriesOutputAndInputAndItsPathIsPublished() throws Exception {
        final String why = PseudoTerminal.unavailableReason();
        assumeTrue(why == null, "no pseudo-terminals here: " + why);
        try (ConsoleWorld w = new ConsoleWorld(ConsoleBackendConfig.DEFAULTS, ConsoleSinks.pty(), System::nanoTime).run()) {
            final ConsoleWorld.Guest g = w.boot("tty", true);
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).state() == State.CONNECTED, "connected");
            final String tty = w.dom0.read(ConsoleNodes.primary(g.domid(), ConsoleNodes.TTY));
            assertTrue(tty.startsWith("/dev/pts/"), tty);
            assertEquals(tty, w.status(id).tty());
            try (FileInputStream fromGuest = new FileInputStream(tty); FileOutputStream toGuest = new FileOutputStream(tty)) {
                g.console().write("login: ".getBytes(StandardCharsets.US_ASCII), 0, 7, WAIT);
                final byte[] got = new byte[7];
                final CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                    try {
                        int n = 0;
                        while (n < 7) {
                            n += fromGuest.read(got, n, 7 - n);
                        }
                        return n;
                    } catch (final java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertEquals(7, read.get(20, TimeUnit.SECONDS));
                // Raw mode: exactly what the guest wrote, no newline translation, no echo.
                assertEquals("login: ", new String(got, StandardCharsets.US_ASCII));
                toGuest.write("root\r".getBytes(StandardCharsets.US_ASCII));
                toGuest.flush();
                final byte[] in = new byte[5];
                int n = 0;
                while (n < 5) {
                    n += g.console().read(in, n, 5 - n, WAIT);
                }
                assertEquals("root\r", new String(in, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void ptyOrFallsBackWhereThereAreNoPtys() {
        final ConsoleSinkFactory fallback = id -> ConsoleSinks.lines((c, l) -> { }).open(id);
        final ConsoleSinkFactory chosen = ConsoleSinks.ptyOr(fallback);
        if (PseudoTerminal.unavailableReason() != null) {
            assertEquals(fallback, chosen);
        } else {
            org.junit.jupiter.api.Assertions.assertNotSame(fallback, chosen);
        }
    }
}
