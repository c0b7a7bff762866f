package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Permissions are parsed and printed exactly: what parses prints back the same text. */
final class XsPermissionTest {
    @Test
    void theFourLettersRoundTrip() {
        for (final String text : List.of("n0", "r1", "w2", "b3", "b65535", "r32752", "n10")) {
            assertEquals(text, XsPermission.parse(text).toString());
        }
        assertEquals(new XsPermission(XsPermission.Access.BOTH, 3), XsPermission.parse("b3"));
        assertEquals(List.of(XsPermission.parse("n0"), XsPermission.parse("r5")),
            XsPermission.parseAll(List.of("n0", "r5")));
    }

    @Test
    void everyAccessAndDomidRoundTrips() {
        for (final XsPermission.Access a : XsPermission.Access.values()) {
            for (int domid = 0; domid <= XsPermission.DOMID_MAX; domid += 7) {
                final XsPermission p = XsPermission.of(a, domid);
                assertEquals(p, XsPermission.parse(p.toString()));
            }
        }
    }

    @Test
    void anythingElseIsRejected() {
        for (final String bad : List.of("", "r", "x1", "R1", "r01", "r00", "r+1", "r-1", " r1", "r1 ", "r65536",
            "r0x10", "r1a", "rr1", "r\u0661", "n9999999")) {
            assertThrows(IllegalArgumentException.class, () -> XsPermission.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> XsPermission.of(XsPermission.Access.READ, -1));
        assertThrows(IllegalArgumentException.class, () -> XsPermission.of(XsPermission.Access.READ, 65536));
    }

    @Test
    void randomTextEitherFailsOrPrintsBackTheSame() {
        final Random random = new Random(7);
        final String alphabet = "nrwbx0123456789 -+";
        for (int i = 0; i < 200_000; i++) {
            final StringBuilder sb = new StringBuilder();
            final int len = random.nextInt(8);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            final String text = sb.toString();
            try {
                assertEquals(text, XsPermission.parse(text).toString());
            } catch (final IllegalArgumentException expected) {
                // Rejected: fine.
            }
        }
    }

    @Test
    void accessBits() {
        assertEquals(List.of(false, true, false, true),
            List.of(XsPermission.Access.NONE.canRead(), XsPermission.Access.READ.canRead(),
                XsPermission.Access.WRITE.canRead(), XsPermission.Access.BOTH.canRead()));
        assertEquals(List.of(false, false, true, true),
            List.of(XsPermission.Access.NONE.canWrite(), XsPermission.Access.READ.canWrite(),
                XsPermission.Access.WRITE.canWrite(), XsPermission.Access.BOTH.canWrite()));
    }
}
