package io.xen4j.examples;

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
}
