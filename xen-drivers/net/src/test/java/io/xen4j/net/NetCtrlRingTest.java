package io.xen4j.net;

import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_KEY;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING;
import static io.xen4j.abi.netif.Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.net.internal.HashControl;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The control ring: Toeplitz hash configuration from a frontend, checked against Microsoft's RSS
 * verification vectors, its range checks, and the requests over a real ring to netback.
 */
final class NetCtrlRingTest {
    /** The RSS key of Microsoft's verification suite. */
    static final byte[] KEY = HexFormat.of().parseHex(
        "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");

    private static byte[] input(final int... bytes) {
        final byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    @Test
    void toeplitzMatchesTheRssVerificationVectors() {
        // 66.9.149.187:2794 -> 161.142.100.80:1766, as the hash input orders them (source first).
        final byte[] v4 = input(66, 9, 149, 187, 161, 142, 100, 80, 2794 >> 8, 2794 & 255, 1766 >> 8, 1766 & 255);
        assertEquals(0x51ccc178, HashControl.toeplitz(KEY, v4, 12));
        assertEquals(0x323e8fc2, HashControl.toeplitz(KEY, v4, 8));
        // 199.92.111.2:14230 -> 65.69.140.83:4739
        final byte[] w4 = input(199, 92, 111, 2, 65, 69, 140, 83, 14230 >> 8, 14230 & 255, 4739 >> 8, 4739 & 255);
        assertEquals(0xc626b0ea, HashControl.toeplitz(KEY, w4, 12));
        assertEquals(0xd718262a, HashControl.toeplitz(KEY, w4, 8));
    }

    @Test
    void mappingValuesAreRangeChecked() {
        final HashControl h = new HashControl();
        final byte[] page = new byte[4096];
        final HashControl.GrantReader reader = (gref, dst, len) -> {
            System.arraycopy(page, 0, dst, 0, len);
            return gref == 7;
        };
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, 7, 41, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, 8, 40, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 129, 0, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 8, 0, 0, 4, reader));
        // off + len beyond the size, and a wrapping off + len.
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, 7, 4, 5, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, 7, 2, -1, 4, reader));
        page[0] = 4; // a queue that does not exist
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, 7, 1, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, 0x10, 0, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, 2, 0, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED, h.handle(99, 0, 0, 0, 4, reader));
    }

    @Test
    void framesGoToTheQueueTheToeplitzMappingNames() {
        final HashControl h = new HashControl();
        final byte[] page = new byte[4096];
        final HashControl.GrantReader reader = (gref, dst, len) -> {
            System.arraycopy(page, 0, dst, 0, len);
            return true;
        };
        System.arraycopy(KEY, 0, page, 0, 40);
        assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, 1, 40, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
            XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, 0, 0, 4, reader));
        assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 4, 0, 0, 4, reader));
        java.util.Arrays.fill(page, (byte) 0);
        for (int i = 0; i < 4; i++) {
            page[i * 4] = (byte) (3 - i);
        }
        assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, 1, 4, 0, 4, reader));
        final ByteBuf f = Unpooled.buffer().writeZero(12).writeShort(0x0800);
        f.writeByte(0x45).writeByte(0).writeShort(40).writeShort(0).writeShort(0x4000).writeByte(64).writeByte(6).writeShort(0);
        f.writeBytes(input(66, 9, 149, 187, 161, 142, 100, 80)).writeShort(2794).writeShort(1766).writeZero(8).writeByte(0x50).writeZero(7);
        assertEquals(-1, h.queueFor(f), "no algorithm set yet");
        assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, h.handle(XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
            XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0, 4, reader));
        // 0x51ccc178 % 4 == 0: mapping[0] == 3.
        assertEquals(3, h.queueFor(f));
    }

    @Test
    void controlRequestsOverTheRingAreAnsweredWithTheirIdTypeAndStatus() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full(), true)) {
            assertArrayEquals(new int[] {XEN_NETIF_CTRL_STATUS_SUCCESS, HashControl.SUPPORTED_TYPES, 1, XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS},
                f.ctrl(1, XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS, 0, 0, 0));
            assertArrayEquals(new int[] {XEN_NETIF_CTRL_STATUS_SUCCESS, 128, 2, XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE},
                f.ctrl(2, XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0));
            f.data.buffer().putBytes(0, KEY);
            assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, f.ctrl(3, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, f.gref(0), 40, 0)[0]);
            assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, f.ctrl(4, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, 0x7FFF0000, 40, 0)[0]);
            assertEquals(XEN_NETIF_CTRL_STATUS_SUCCESS, f.ctrl(5, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 2, 0, 0)[0]);
            // One queue: a mapping entry 1 names no queue.
            f.data.buffer().putInt(4096, 1, java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, f.ctrl(6, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, f.gref(1), 1, 0)[0]);
            assertEquals(XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED, f.ctrl(7, 200, 0, 0, 0)[0]);
            assertEquals(7, f.back.controlRequests());
            assertNull(f.back.brokenReason());
        }
    }
}
