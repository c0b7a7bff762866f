package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class DemoTest {
    @Test
    void demoPrintsBothAbisAndTheEncodedRequests() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*blkif_request\\s+112\\s+108\\n.*"), out);
        // id 7 follows 4 bytes of padding in x86_64 and none in x86_32.
        assertTrue(out.contains("x86_64-abi: 00 01 00 03 00 00 00 00 07 00"), out);
        assertTrue(out.contains("x86_32-abi: 00 01 00 03 07 00"), out);
    }

    @Test
    void demoPassesAMessageEachWayAndSurvivesALostNotification() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("dom1 shares a page with dom0: grant ref 8; dom0 maps it writable"), out);
        assertTrue(out.contains("flags 0x0019 (permit_access, reading, writing), domid 0"), out);
        assertTrue(out.contains("event channel: dom1 port 1 <-> dom0 port 1"), out);
        assertTrue(out.contains("dom0 <- \"ping from the frontend\" (event on port 1)"), out);
        assertTrue(out.contains("dom1 <- \"pong from the backend\" (event on port 1)"), out);
        assertTrue(out.contains("DROP_NOTIFICATION on dom1: notify dom1 port 1 -> dom0 port 1 dropped"), out);
        assertTrue(out.contains("found \"second ping, notification lost\": survived"), out);
        assertTrue(out.contains("still held: nothing"), out);
        assertTrue(out.contains("seed(42L)"), out);
    }

    @Test
    void demoServesAFileAsADiskToAGuestThatWritesAndReadsItBack() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("connected: 8192 sectors of 512 bytes, x86_64-abi"), out);
        assertTrue(out.matches("(?s).*read back crc32c ([0-9a-f]{8}): identical.*"), out);
    }

    @Test
    void theSameSeedPrintsTheSameDemo() {
        final ByteArrayOutputStream a = new ByteArrayOutputStream();
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        Demo.run(new PrintStream(a, true, StandardCharsets.UTF_8));
        Demo.run(new PrintStream(b, true, StandardCharsets.UTF_8));
        assertEquals(a.toString(StandardCharsets.UTF_8), b.toString(StandardCharsets.UTF_8));
    }
}
