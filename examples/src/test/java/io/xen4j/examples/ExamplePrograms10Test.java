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

/** The xenstore browser, disk server, disk client and grant pair in their simulated mode (their default). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ExamplePrograms10Test {
    /** A program's entry point that prints and returns an exit status. */
    private interface Program {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private record Run(int status, String out) {
    }

    private static Run run(final Program p, final String... args) throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status = p.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void browserListsTheTreeWithValues() throws Exception {
        final Run r = run(XenstoreBrowser::run, "ls", "/local/domain");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("xenstore: simulated host, dom0 and dom1 (guest1)"), r.out());
        // Domain 1's home as the toolstack makes it: indented one level under its domid.
        assertTrue(r.out().matches("(?s).*\\n1 = \"\"\\n  .*name = \"guest1\".*"), r.out());
        assertTrue(r.out().contains("domid = \"1\""), r.out());
    }

    @Test
    void browserReadsAndWrites() throws Exception {
        final Run w = run(XenstoreBrowser::run, "write", "/local/domain/1/data/greeting", "hello");
        assertEquals(0, w.status(), w.out());
        assertTrue(w.out().contains("/local/domain/1/data/greeting = \"hello\""), w.out());
        final Run read = run(XenstoreBrowser::run, "read", "/local/domain/1/name");
        assertEquals(0, read.status(), read.out());
        assertTrue(read.out().endsWith("guest1\n"), read.out());
        final Run missing = run(XenstoreBrowser::run, "read", "/local/domain/1/nothing-here");
        assertEquals(1, missing.status(), missing.out());
        assertTrue(missing.out().contains("read failed: ") && missing.out().contains("ENOENT"), missing.out());
    }

    @Test
    void browserWatchSeesTheGuestWrite() throws Exception {
        final Run r = run(XenstoreBrowser::run, "watch", "/local/domain/1", "4", "30");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("watching /local/domain/1 for 4 event(s) or 30 s"), r.out());
        assertTrue(r.out().contains("event 1: /local/domain/1 = \"\""), r.out());
        // Three writes, each seen (or counted as coalesced) with the value at the time of the read.
        assertTrue(r.out().contains("event 2: /local/domain/1/data/step1 = \"done\""), r.out());
        assertTrue(r.out().contains("event 4: /local/domain/1/data/step3 = \"done\""), r.out());
        assertTrue(!r.out().contains("timed out"), r.out());
    }

    @Test
    void browserRefusesBadUsage() throws Exception {
        assertEquals(2, run(XenstoreBrowser::run).status());
        assertEquals(2, run(XenstoreBrowser::run, "write", "/a").status());
        assertEquals(2, run(XenstoreBrowser::run, "watch", "/a", "many").status());
        assertEquals(2, run(XenstoreBrowser::run, "rm", "/a").status());
    }

    @Test
    void diskServerServesItsSampleFileToASimulatedGuest() throws Exception {
        final Run r = run(DiskServer::run);
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("(1048576 bytes, read-only) as /local/domain/0/backend/vbd/1/51728 to /local/domain/1/device/vbd/51728"), r.out());
        assertTrue(r.out().contains("dom1's blkfront connected: 2048 sectors of 512 bytes, read-only true"), r.out());
        assertTrue(r.out().matches("(?s).*the guest read 1048576 bytes, crc32c ([0-9a-f]{8}); the file has crc32c \\1: identical.*"), r.out());
        assertTrue(r.out().contains("sector 0 as the guest sees it: \"xen4j disk server: sector 0 of a 1 MiB file\""), r.out());
    }

    @Test
    void diskServerServesAGivenFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("disk.img");
        final byte[] data = new byte[64 * 512];
        final byte[] text = "my own disk".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, data, 0, text.length);
        data[data.length - 1] = 42;
        Files.write(file, data);
        final Run r = run(DiskServer::run, file.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("64 sectors of 512 bytes"), r.out());
        assertTrue(r.out().contains("sector 0 as the guest sees it: \"my own disk\""), r.out());
        assertTrue(r.out().contains(": identical"), r.out());
        // Served read-only: the file is untouched.
        assertEquals(42, Files.readAllBytes(file)[data.length - 1]);
    }

    @Test
    void diskServerRefusesBadFilesAndUsage(@TempDir final Path dir) throws Exception {
        final Path odd = dir.resolve("odd.img");
        Files.write(odd, new byte[1000]);
        final Run r = run(DiskServer::run, odd.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("whole sectors, not 1000 bytes"), r.out());
        assertEquals(2, run(DiskServer::run, "--live", "x.img").status());
        assertEquals(2, run(DiskServer::run, "a.img", "b.img").status());
        assertEquals(2, run(DiskServer::run, "a.img", "--vdev", "-1").status());
    }

    @Test
    void diskClientPrintsTheBackendFeaturesAndChecksTheData() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DiskClient.Report report = DiskClient.simulated(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.identical(), out);
        assertEquals(Boolean.TRUE, report.backingFile(), out);
        // xen4j's blkback with BlkBackConfig.full() advertises every feature blkfront prints.
        assertEquals("1", report.backendNodes().get("feature-persistent"), out);
        assertEquals("32768", report.backendNodes().get("sectors"), out);
        assertEquals("4", report.backendNodes().get("max-ring-page-order"), out);
        assertTrue(out.contains("    feature-max-indirect-segments = "), out);
        assertTrue(out.contains("    multi-queue-max-queues = "), out);
        assertTrue(out.matches("(?s).*wrote 1 MiB at 4 MiB \\(crc32c ([0-9a-f]{8})\\).*read back crc32c \\1: identical.*"), out);
        assertTrue(out.contains("holds crc32c %08x at 4 MiB: identical".formatted(report.writtenCrc())), out);
        // The same through the frontend's granted buffers: the simulated host's pages have a ByteBuffer.
        assertTrue(report.granted(), out);
        assertTrue(report.grantedIdentical(), out);
        assertEquals(Boolean.TRUE, report.grantedBackingFile(), out);
        assertTrue(out.contains("holds crc32c %08x at 8 MiB: identical".formatted(report.grantedCrc())), out);
        assertTrue(out.contains("(granted pages, zero-copy): wrote 1 MiB at 8 MiB"), out);
        assertEquals(2, run(DiskClient::run, "--live").status());
    }

    @Test
    void grantPairOffersMapsAnswersAndEndsTheGrant() throws Exception {
        final Run r = run(GrantPair::run);
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("simulated host: dom1 offers, dom0 maps"), r.out());
        assertTrue(r.out().matches("(?s).*offer: dom1 grants ref \\d+ and unbound port \\d+ to dom0, wrote \"hello from dom1\", "
            + "published under /local/domain/1/data/xen4j-grant-pair.*"), r.out());
        assertTrue(r.out().matches("(?s).*map: dom0 maps ref \\d+ of dom1 and reads \"hello from dom1\"; bound port \\d+ to its port \\d+.*"), r.out());
        assertTrue(r.out().contains("offer: dom0 answered \"hello back from dom0\"")
            || r.out().matches("(?s).*offer: event on port \\d+; dom0 answered \"hello back from dom0\".*"), r.out());
        assertTrue(r.out().matches("(?s).*offer: dom0 unmapped the page; access to ref \\d+ ended.*"), r.out());
        assertTrue(r.out().contains("grant refs left by the pair: 0, grant mappings left: 0"), r.out());
    }

    @Test
    void grantPairRefusesBadUsage() throws Exception {
        assertEquals(2, run(GrantPair::run, "offer").status());
        assertEquals(2, run(GrantPair::run, "--peer").status());
        assertEquals(2, run(GrantPair::run, "--live", "map", "--from", "70000").status());
    }

    @Test
    void theOverviewsFirstDriverConnectsWritesAndReadsBack() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FirstDriver.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("connected: 2048 sectors, "), out);
        assertTrue(out.contains("persistent grants true"), out);
        assertTrue(out.endsWith("read back: hello, disk\n"), out);
    }

    @Test
    void diskNamesFollowLinuxBlkfront() {
        assertEquals("xvda", DiskServer.diskName(51712));
        assertEquals("xvdb", DiskServer.diskName(51728));
        assertEquals("xvdp", DiskServer.diskName(51712 + 15 * 16));
        assertEquals("xvdaa", DiskServer.diskName((1 << 28) | (26 << 8)));
        assertEquals("xvdq", DiskServer.diskName((1 << 28) | (16 << 8)));
    }

    @Test
    void platformPropertiesThatAreNotTextArePrintedInHex() {
        assertEquals("xen-3.0-x86_64", PlatformExample.printable("xen-3.0-x86_64"));
        assertEquals("hex 37014b", PlatformExample.printable("7\u0001K"));
    }
}
