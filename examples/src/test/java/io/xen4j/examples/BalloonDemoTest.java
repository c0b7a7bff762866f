package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class BalloonDemoTest {
    @Test
    void theGuestReachesEachTargetTheToolstackSets() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BalloonDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("dom1 \"balloon-guest\" has 32768 KiB (maximum 65536 KiB)"), out);
        assertTrue(out.contains("toolstack: memory/target = 16384 KiB (was at 32768 KiB)"), out);
        assertTrue(out.contains("guest: gave back 16384 KiB in 8 batches of up to 512 pages; now 16384 KiB (REACHED)"), out);
        assertTrue(out.contains("guest reports 16384 KiB, hypervisor counts 16384 KiB"), out);
        assertTrue(out.contains("guest: claimed 32768 KiB in 16 batches of up to 512 pages; now 49152 KiB (REACHED)"), out);
        assertTrue(out.contains("guest reports 49152 KiB, hypervisor counts 49152 KiB"), out);
    }
}
