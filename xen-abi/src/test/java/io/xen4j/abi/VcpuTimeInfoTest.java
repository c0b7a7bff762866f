package io.xen4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The pvclock arithmetic of {@code vcpu_time_info}, against a 96-bit reference computed with
 * {@link BigInteger}.
 */
final class VcpuTimeInfoTest {
    @Test
    void scaleDeltaKeepsBits32To95OfTheProduct() {
        final long[] deltas = {0, 1, 1_000_000_007L, 0x7FFF_FFFF_FFFFL, 0xFFFF_FFFFL, 0x1234_5678_9ABCL};
        final int[] muls = {0, 1, 0x8000_0000, 0xFFFF_FFFF, 0x5555_5555};
        final int[] shifts = {-2, -1, 0, 1, 3};
        for (final long delta : deltas) {
            for (final int mul : muls) {
                for (final int shift : shifts) {
                    assertEquals(reference(delta, mul, shift), VcpuTimeInfo.scaleDelta(delta, mul, shift),
                        () -> "delta=" + delta + " mul=" + mul + " shift=" + shift);
                }
            }
        }
    }

    @Test
    void aThreeGigahertzTscCountsNanoseconds() {
        // mul = 2^32 / 3 with shift 0 turns 3e9 ticks into (almost exactly) 1e9 ns.
        final int mul = (int) ((1L << 32) / 3);
        assertEquals(999_999_999L, VcpuTimeInfo.scaleDelta(3_000_000_000L, mul, 0));
    }

    @Test
    void theVersionIsLittleEndianInVolatileAccess() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[VcpuTimeInfo.LENGTH + 8]);
        VcpuTimeInfo.putVersionVolatile(buffer, 8, 0x0102_0304);
        assertEquals(0x04, buffer.getByte(8));
        assertEquals(0x0102_0304, VcpuTimeInfo.version(buffer, 8));
        assertEquals(0x0102_0304, VcpuTimeInfo.getVersionVolatile(buffer, 8));
    }

    private static long reference(final long delta, final int mul, final int shift) {
        BigInteger d = new BigInteger(Long.toUnsignedString(delta));
        d = shift >= 0 ? d.shiftLeft(shift).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))
            : d.shiftRight(-shift);
        return d.multiply(BigInteger.valueOf(Integer.toUnsignedLong(mul))).shiftRight(32).longValue();
    }
}
