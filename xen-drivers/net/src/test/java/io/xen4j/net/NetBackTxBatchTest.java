package io.xen4j.net;

import static io.xen4j.abi.netif.Netif.NETIF_RSP_ERROR;
import static io.xen4j.abi.netif.Netif.NETIF_RSP_OKAY;
import static io.xen4j.abi.netif.Netif.NETTXF_MORE_DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * netback copies the single-slot packets of a round in one grant copy: each packet still gets its
 * own verdict and its response, in ring order, also when a bad grant or a multi-slot packet sits
 * between them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class NetBackTxBatchTest {
    @Test
    void eachPacketOfABatchedCopyIsAnsweredInOrderWithItsOwnStatus() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            final Random r = new Random(11);
            final List<byte[]> expected = new ArrayList<>();
            final List<RawNetFrontend.TxRsp> want = new ArrayList<>();
            // 24 packets (more than one batch of 16), a data page each: every 7th names a grant that does not exist,
            // every 9th is a two-slot packet (copied on its own, between the batched ones).
            int id = 0;
            for (int i = 0; i < RawNetFrontend.DATA_PAGES; i++) {
                final byte[] frame = new byte[60 + r.nextInt(1400)];
                r.nextBytes(frame);
                frame[12] = (byte) 0x88;
                frame[13] = (byte) 0xB5;
                final int page = i % RawNetFrontend.DATA_PAGES;
                f.data.buffer().putBytes(page * 4096, frame);
                if (i % 9 == 4) {
                    final int half = frame.length / 2;
                    f.slot(f.gref(page), 0, NETTXF_MORE_DATA, id, frame.length);
                    f.slot(f.gref(page), half, 0, id + 1, frame.length - half);
                    want.add(new RawNetFrontend.TxRsp(id, NETIF_RSP_OKAY));
                    want.add(new RawNetFrontend.TxRsp(id + 1, NETIF_RSP_OKAY));
                    id += 2;
                    expected.add(frame);
                } else if (i % 7 == 3) {
                    f.slot(0x7FFF_0000, 0, 0, id, frame.length);
                    want.add(new RawNetFrontend.TxRsp(id++, NETIF_RSP_ERROR));
                } else {
                    f.slot(f.gref(page), 0, 0, id, frame.length);
                    want.add(new RawNetFrontend.TxRsp(id++, NETIF_RSP_OKAY));
                    expected.add(frame);
                }
            }
            final List<RawNetFrontend.TxRsp> got = f.push();
            assertEquals(want, got);
            assertEquals(expected.size(), f.port.sent.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), f.port.sent.get(i).frame(), "frame " + i);
            }
            assertEquals(java.util.Map.of("GRANT_COPY", 3L), f.back.rejectedByRule());
            assertNull(f.back.brokenReason());
        }
    }
}
