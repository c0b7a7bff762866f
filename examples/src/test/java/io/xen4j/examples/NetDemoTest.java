package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class NetDemoTest {
    private static String run() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NetDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(60)
    void twoGuestsOnTheSwitchResolveAndPingEachOther() {
        final String out = run();
        assertTrue(out.contains("guest-a dom1 vif0 00:16:3e:00:00:0a 10.0.0.1: connected, 1 queue(s), mtu 1500"), out);
        assertTrue(out.contains("guest-b dom2 vif0 00:16:3e:00:00:0b 10.0.0.2: connected"), out);
        assertTrue(out.contains("guest-a: ARP who-has 10.0.0.2 tell 10.0.0.1 -> 10.0.0.2 is-at 00:16:3e:00:00:0b"), out);
        for (int seq = 1; seq <= 3; seq++) {
            assertTrue(out.contains("guest-a: 64 bytes from 10.0.0.2: icmp_seq=" + seq + " ttl=64 (checksums and payload verified)"), out);
        }
        assertTrue(out.contains("3 echo requests, 3 replies"), out);
        assertEquals(run(), out, "the same run prints the same demo");
    }
}
