package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The four HAL examples on the simulated host (their default). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class HalExamplesTest {
    private static String run(final BiConsumer<String[], PrintStream> example, final String... args) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        example.accept(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void evtchnPassesNotificationsBothWays() {
        final String out = run(EvtchnExample::run);
        assertTrue(out.contains("evtchn on the simulated host: dom1 and dom0"), out);
        assertTrue(out.contains("dom1 port 1 (UNBOUND) <-> dom0 port 1 (INTERDOMAIN)"), out);
        assertTrue(out.contains("round 3: dom1 -> dom0 and back; events seen 3 / 3"), out);
        assertTrue(out.contains("ports closed"), out);
    }

    @Test
    void gntallocSharesPagesAndEndsAccessOnlyAfterTheUnmap() {
        final String out = run(GntallocExample::run);
        assertTrue(out.matches("(?s).*page 0: grant ref \\d+, wrote \"page 0 of dom1\".*"), out);
        assertTrue(out.matches("(?s).*grant entry \\d+: flags 0x0001, domid 0, frame 0x[0-9a-f]+.*"), out);
        assertTrue(out.contains("dom0 maps them and reads \"page 0 of dom1\" and \"page 1 of dom1\""), out);
        assertTrue(out.contains("end access while mapped: refused (still mapped)"), out);
        assertTrue(out.contains("end access after the unmap: ended"), out);
        assertTrue(out.contains("grant refs still held: 0"), out);
    }

    @Test
    void gntdevMapsReadOnlyThenWritable() {
        final String out = run(GntdevExample::run);
        assertTrue(out.contains("dom0 maps it read-only and reads \"hello from dom1\""), out);
        assertTrue(out.contains("a write through the read-only mapping is refused"), out);
        assertTrue(out.contains("dom1 reads \"hello back from dom0\""), out);
        assertTrue(out.contains("grant mappings still open: 0"), out);
    }

    @Test
    void privcmdMakesAHypercallAndMapsForeignFrames() {
        final String out = run(PrivcmdExample::run);
        assertTrue(out.contains("xen_version(XENVER_version) = 0x40013: Xen 4.19"), out);
        assertTrue(out.contains("memory_op on the simulated host: ENOSYS"), out);
        assertTrue(out.contains("2 frame(s), all mapped true"), out);
        assertTrue(out.contains("read back read-only: 0x0123456789abcdef 0x0fedcba987654321"), out);
        assertTrue(out.contains("dom1 may not map foreign memory: "), out);
        assertTrue(out.contains("foreign mappings still open: 0"), out);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> run(EvtchnExample::run, "--bogus"));
        assertThrows(IllegalArgumentException.class, () -> run(GntdevExample::run, "--ref"));
        assertThrows(IllegalArgumentException.class, () -> run(PrivcmdExample::run, "--gfn", "-3"));
    }
}
