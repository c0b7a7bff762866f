package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console and xenstore page offsets that this module defines for itself match
 * {@code struct xencons_interface} and {@code struct xenstore_domain_interface} of the installed
 * headers ({@code ring_diff layout}).
 */
final class PageLayoutTest {
    @Test
    void consoleAndXenstorePageConstantsMatchTheHeaders() throws IOException {
        final String out = NativeTools.run(List.of(NativeTools.program("ring_diff").toString(), "layout"), null, 60);
        final Map<String, Integer> c = new HashMap<>();
        for (final String line : out.split("\n")) {
            final String[] w = line.split(" ");
            c.put(w[0] + " " + w[1], Integer.parseInt(w[2]));
        }
        final Map<String, Integer> java = new HashMap<>();
        java.put("xencons_interface in", ConsoleRing.IN_OFFSET);
        java.put("xencons_interface out", ConsoleRing.OUT_OFFSET);
        java.put("xencons_interface in_cons", ConsoleRing.IN_CONS_OFFSET);
        java.put("xencons_interface in_prod", ConsoleRing.IN_PROD_OFFSET);
        java.put("xencons_interface out_cons", ConsoleRing.OUT_CONS_OFFSET);
        java.put("xencons_interface out_prod", ConsoleRing.OUT_PROD_OFFSET);
        java.put("xencons_interface sizeof", ConsoleRing.LENGTH);
        java.put("xenstore_domain_interface req", XenstoreRing.REQ_OFFSET);
        java.put("xenstore_domain_interface rsp", XenstoreRing.RSP_OFFSET);
        java.put("xenstore_domain_interface req_cons", XenstoreRing.REQ_CONS_OFFSET);
        java.put("xenstore_domain_interface req_prod", XenstoreRing.REQ_PROD_OFFSET);
        java.put("xenstore_domain_interface rsp_cons", XenstoreRing.RSP_CONS_OFFSET);
        java.put("xenstore_domain_interface rsp_prod", XenstoreRing.RSP_PROD_OFFSET);
        java.put("xenstore_domain_interface server_features", XenstoreRing.SERVER_FEATURES_OFFSET);
        java.put("xenstore_domain_interface connection", XenstoreRing.CONNECTION_OFFSET);
        java.put("xenstore_domain_interface error", XenstoreRing.ERROR_OFFSET);
        java.put("xenstore_domain_interface sizeof", XenstoreRing.LENGTH);
        java.put("const XENSTORE_RING_SIZE", XenstoreRing.XENSTORE_RING_SIZE);
        java.put("const XENSTORE_SERVER_FEATURE_RECONNECTION", XenstoreRing.XENSTORE_SERVER_FEATURE_RECONNECTION);
        java.put("const XENSTORE_SERVER_FEATURE_ERROR", XenstoreRing.XENSTORE_SERVER_FEATURE_ERROR);
        java.put("const XENSTORE_CONNECTED", XenstoreRing.XENSTORE_CONNECTED);
        java.put("const XENSTORE_RECONNECT", XenstoreRing.XENSTORE_RECONNECT);
        java.put("const XENSTORE_ERROR_NONE", XenstoreRing.XENSTORE_ERROR_NONE);
        java.put("const XENSTORE_ERROR_COMM", XenstoreRing.XENSTORE_ERROR_COMM);
        java.put("const XENSTORE_ERROR_RINGIDX", XenstoreRing.XENSTORE_ERROR_RINGIDX);
        java.put("const XENSTORE_ERROR_PROTO", XenstoreRing.XENSTORE_ERROR_PROTO);
        assertEquals(c, java);
        assertEquals(ConsoleRing.IN_SIZE, Integer.parseInt(out.lines()
            .filter(l -> l.startsWith("xencons_interface in ")).findFirst().orElseThrow().split(" ")[3]));
        assertEquals(ConsoleRing.OUT_SIZE, Integer.parseInt(out.lines()
            .filter(l -> l.startsWith("xencons_interface out ")).findFirst().orElseThrow().split(" ")[3]));
    }
}
