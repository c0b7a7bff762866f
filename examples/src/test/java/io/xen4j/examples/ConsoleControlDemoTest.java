package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ConsoleControlDemoTest {
    private static String run() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleControlDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theGuestsConsoleIsLoggedAndAShutdownIsAcknowledged() {
        final String out = run();
        assertTrue(out.contains("[2026-01-01 12:00:00.000] Booting web (xen4j demo guest)"), out);
        assertTrue(out.contains("[2026-01-01 12:00:00.000] eth0: link up"), out);
        assertTrue(out.contains("[2026-01-01 12:00:00.000] web login: "), out);
        assertTrue(out.contains("wrote 3 lines (57 bytes) on hvc0; backend: CONNECTED, 57 bytes read, 0 discarded"), out);
        assertTrue(out.contains("feature-poweroff=true feature-crash=false"), out);
        assertTrue(out.contains("acknowledged (node cleared); the guest's handler got POWEROFF"), out);
        assertTrue(out.matches("(?s).*control dom2: /local/domain/2/control/shutdown=poweroff not acknowledged within 200 ms.*"
            + "did not advertise feature-poweroff.*request withdrawn.*"), out);
    }

    @Test
    void theDemoIsTheSameEveryTime() {
        assertEquals(run(), run());
    }

    @Test
    void shutdownToolAcknowledgesOnTheSimulatedHost() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int rc = ShutdownTool.run(new String[] {"reboot"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("dom1 acknowledged reboot"), out);
        final ByteArrayOutputStream none = new ByteArrayOutputStream();
        assertEquals(1, ShutdownTool.run(new String[] {"poweroff", "7", "1"}, new PrintStream(none, true, StandardCharsets.UTF_8)));
        assertTrue(none.toString(StandardCharsets.UTF_8).contains("control dom7"), none.toString(StandardCharsets.UTF_8));
    }

    @Test
    void consoleLoggerLogsThreeGuests(@TempDir final Path dir) throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleLogger.simulated(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        for (int i = 1; i <= 3; i++) {
            assertTrue(Files.readString(dir.resolve("guest-dom" + i + ".log")).matches(
                "\\[[0-9-]{10} [0-9:.]{12}\\] guest" + i + " booting\n\\[[0-9-]{10} [0-9:.]{12}\\] guest" + i + " ready\n"), out);
            assertTrue(out.contains("guest-dom" + i + ".log:"), out);
        }
    }
}
