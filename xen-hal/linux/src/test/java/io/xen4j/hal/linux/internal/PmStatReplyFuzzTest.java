package io.xen4j.hal.linux.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.abi.sysctl.XenSysctl;
import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading any bytes as a {@code XEN_SYSCTL_get_pmstat} reply: the result is statistics that fit
 * the arrays asked for, or a {@link XenHalException} with {@code EIO} or {@code EAGAIN}; nothing
 * else is thrown and nothing is read outside the request's buffer.
 */
final class PmStatReplyFuzzTest {
    private static final long ADDRESS = 0x7f00_0000_0000L;

    @FuzzTest(maxDuration = "5s")
    void anyReplyDecodesOrIsRefused(final byte @Nullable [] reply) {
        if (reply == null || reply.length < 2) {
            return;
        }
        check(reply[0] & 0x0F, (reply[1] & 0x07) + 1, reply);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 0x5EED, 0xC0FFEE})
    void seededRandomRepliesDecodeOrAreRefused(final long seed) {
        final Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            final byte[] reply = new byte[random.nextInt(XenSysctl.LENGTH + 400)];
            random.nextBytes(reply);
            // Half the time keep the counts small, so that the consistent replies get decoded too.
            if (reply.length > XenSysctl.U_OFFSET + 20 && random.nextBoolean()) {
                reply[XenSysctl.U_OFFSET + 8] = (byte) random.nextInt(5);
                reply[XenSysctl.U_OFFSET + 9] = 0;
                reply[XenSysctl.U_OFFSET + 10] = 0;
                reply[XenSysctl.U_OFFSET + 11] = 0;
                reply[XenSysctl.U_OFFSET + 12] = (byte) random.nextInt(3);
                for (int b = 13; b < 16; b++) {
                    reply[XenSysctl.U_OFFSET + b] = 0;
                }
            }
            check(random.nextInt(9), random.nextInt(8) + 1, reply);
        }
    }

    private static void check(final int nr, final int n, final byte[] reply) {
        final UnsafeBuffer cx = new UnsafeBuffer(new byte[PmStatRequests.cxBufferLength(nr)]);
        PmStatRequests.encodeCxStat(cx, ADDRESS, 0, nr);
        cx.putBytes(XenSysctl.U_OFFSET, reply, 0, Math.min(reply.length, cx.capacity() - XenSysctl.U_OFFSET));
        try {
            final CxStatistics s = PmStatRequests.decodeCxStat(cx, 0, nr, "fuzz");
            assertTrue(s.stateCount() <= nr && (s.stateCount() == 0 ? s.lastState() == 0 : s.lastState() < s.stateCount()),
                s::toString);
        } catch (final XenHalException e) {
            assertTrue(e.errno() == Errno.EIO, e::toString);
        }
        final UnsafeBuffer px = new UnsafeBuffer(new byte[PmStatRequests.pxBufferLength(n)]);
        PmStatRequests.encodePxStat(px, ADDRESS, 0, n);
        px.putBytes(XenSysctl.U_OFFSET, reply, 0, Math.min(reply.length, px.capacity() - XenSysctl.U_OFFSET));
        try {
            final PxStatistics s = PmStatRequests.decodePxStat(px, 0, n, "fuzz");
            assertTrue(s.stateCount() == n && s.current() < n && s.last() < n && s.usable() <= n, s::toString);
        } catch (final XenHalException e) {
            assertTrue(e.errno() == Errno.EIO || e.errno() == Errno.EAGAIN, e::toString);
        }
    }
}
