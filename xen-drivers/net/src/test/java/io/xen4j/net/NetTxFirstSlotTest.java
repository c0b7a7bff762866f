package io.xen4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.netif.Netif;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where netfront starts a frame in its packed transmit pages: Linux's netback answers
 * {@code NETIF_RSP_ERROR} ("Bad packet size") to a packet whose first slot holds fewer bytes than
 * an Ethernet header, which a frame starting in the last 13 bytes of a page would give (seen live
 * against Linux 6.1: "vif0.7: Bad packet size: 10"). Every packet's first slot must hold at least
 * 14 bytes, and each slot stays inside its page.
 */
final class NetTxFirstSlotTest {
    private static final int PAGE = 4096;

    @Test
    @Timeout(30)
    void noPacketStartsWithLessThanAnEthernetHeaderInItsFirstSlot() {
        final List<Integer> sizes = new ArrayList<>();
        // Frames that leave 1..20 bytes of a page, each followed by one that must not start there.
        for (int left = 1; left <= 20; left++) {
            sizes.add(PAGE - left);
            sizes.add(60 + left);
            sizes.add(PAGE - 60 - left);
        }
        final Random random = new Random(7);
        for (int i = 0; i < 400; i++) {
            sizes.add(14 + random.nextInt(random.nextBoolean() ? 200 : 9000));
        }
        int packets = 0;
        int skipped = 0;
        try (RawNetBackend b = new RawNetBackend()) {
            int lastEnd = -1;
            for (final int size : sizes) {
                final List<RawNetBackend.TxReq> reqs = b.sendFromFront(size);
                assertTrue(!reqs.isEmpty(), "frame of " + size + " bytes sent");
                final RawNetBackend.TxReq first = reqs.get(0);
                assertEquals(size, first.size(), "the first slot names the frame's size");
                final boolean more = (first.flags() & Netif.NETTXF_MORE_DATA) != 0;
                final int firstBytes = more ? PAGE - first.offset() : first.size();
                assertTrue(firstBytes >= Math.min(size, 14), () -> "a " + size + "-byte frame starts at offset "
                    + first.offset() + " with " + firstBytes + " byte(s) in its first slot");
                int total = firstBytes;
                for (int k = 1; k < reqs.size(); k++) {
                    final RawNetBackend.TxReq r = reqs.get(k);
                    assertTrue(r.offset() + r.size() <= PAGE, "slot " + k + " stays in its page: " + r);
                    total += r.size();
                }
                assertTrue(first.offset() + firstBytes <= PAGE, "the first slot stays in its page: " + first);
                assertEquals(size, total, "the slots carry the frame");
                if (lastEnd >= 0 && lastEnd % PAGE > PAGE - 14 && first.offset() == 0) {
                    skipped++;
                }
                lastEnd = reqs.size() == 1 ? first.offset() + size : reqs.get(reqs.size() - 1).offset()
                    + reqs.get(reqs.size() - 1).size();
                for (final RawNetBackend.TxReq r : reqs) {
                    b.txResponse(r.id(), Netif.NETIF_RSP_OKAY);
                }
                packets++;
            }
            assertNull(b.front.brokenReason());
            assertEquals(0, b.front.txErrors());
        }
        assertEquals(sizes.size(), packets);
        assertTrue(skipped >= 10, "frames moved past a page's last bytes: " + skipped);
    }
}
