package io.xen4j.blk;

import static io.xen4j.abi.blkif.Blkif.BLKIF_OP_READ;
import static io.xen4j.abi.blkif.Blkif.BLKIF_OP_WRITE;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_EOPNOTSUPP;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_ERROR;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_OKAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.blk.RawFrontend.Response;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * blkback against a hostile frontend, one named test per blkif backend rule of SECURITY-RULES.md,
 * in both request layouts: each invalid request is answered with its id echoed and no I/O done;
 * a hostile ring stops the device with a line naming domain, device and rule.
 */
final class BlkBackHostileFrontendTest {
    private static final long DISK = 1L << 20;

    private static RawFrontend open(final BlkifAbi abi, final boolean readOnly, final BlkBackConfig config) {
        return new RawFrontend(abi, new MemoryBlockStore(DISK, 512, 512, readOnly), config);
    }

    private static void assertOne(final List<Response> rsp, final long id, final int op, final int status) {
        assertEquals(1, rsp.size(), rsp.toString());
        assertEquals(new Response(id, op, status), rsp.get(0));
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aValidWriteAndReadWork(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.full())) {
            f.data.buffer().setMemory(0, 4096, (byte) 0x5A);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 0x1122334455667788L, 8, f.gref(0), 0, 7), 0x1122334455667788L, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
            assertEquals(0x5A, f.disk.snapshot(4096, 1)[0]);
            assertOne(f.rw(BLKIF_OP_READ, 1, 7, 8, f.gref(1), 2, 3), 7, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(0x5A, f.data.buffer().getByte(4096 + 2 * 512));
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void unknownAndUnadvertisedOperationsGetEopnotsuppWithTheIdEchoed(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.minimal())) {
            assertOne(f.rw(Blkif.BLKIF_OP_WRITE_BARRIER, 1, 11, 0, f.gref(0), 0, 7), 11, Blkif.BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_EOPNOTSUPP);
            assertOne(f.rw(Blkif.BLKIF_OP_RESERVED_1, 1, 12, 0, f.gref(0), 0, 7), 12, Blkif.BLKIF_OP_RESERVED_1, BLKIF_RSP_EOPNOTSUPP);
            assertOne(f.rw(200, 1, 13, 0, f.gref(0), 0, 7), 13, 200, BLKIF_RSP_EOPNOTSUPP);
            assertOne(f.rw(Blkif.BLKIF_OP_FLUSH_DISKCACHE, 0, 14, 0, f.gref(0), 0, 7), 14, Blkif.BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_EOPNOTSUPP);
            assertOne(f.indirect(BLKIF_OP_READ, 12, 16, 0, f.gref(15), new byte[0]), 16, Blkif.BLKIF_OP_INDIRECT, BLKIF_RSP_EOPNOTSUPP);
            assertEquals(0, f.back.served());
            assertNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void segmentCountOutsideOneToElevenIsAnError(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.full())) {
            assertOne(f.rw(BLKIF_OP_READ, 0, 21, 0, f.gref(0), 0, 7), 21, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE, 12, 22, 0, f.gref(0), 0, 7), 22, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_READ, 255, 23, 0, f.gref(0), 0, 7), 23, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            // Flush carries no segments.
            assertOne(f.rw(Blkif.BLKIF_OP_FLUSH_DISKCACHE, 1, 24, 0, f.gref(0), 0, 7), 24, Blkif.BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_ERROR);
            assertEquals(4L, f.back.rejectedByRule().get("SEGMENT_COUNT"));
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void indirectSegmentCountAboveTheAdvertisedMaximumIsAnError(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, new BlkBackConfig(0, 32, true, true))) {
            assertOne(f.indirect(BLKIF_OP_READ, 33, 31, 0, f.gref(15), new byte[0]), 31, Blkif.BLKIF_OP_INDIRECT, BLKIF_RSP_ERROR);
            assertOne(f.indirect(BLKIF_OP_READ, 0, 32, 0, f.gref(15), new byte[0]), 32, Blkif.BLKIF_OP_INDIRECT, BLKIF_RSP_ERROR);
            assertOne(f.indirect(Blkif.BLKIF_OP_DISCARD, 2, 33, 0, f.gref(15), new byte[0]), 33, Blkif.BLKIF_OP_INDIRECT, BLKIF_RSP_EOPNOTSUPP);
            // A valid indirect read of 12 segments, then one whose indirect page holds a bad segment.
            final ByteBuffer segs = ByteBuffer.allocate(12 * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 12; i++) {
                segs.putInt(f.gref(i)).put((byte) 0).put((byte) 7).putShort((short) 0);
            }
            assertOne(f.indirect(BLKIF_OP_READ, 12, 34, 0, f.gref(15), segs.array()), 34, Blkif.BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY);
            segs.put(8 * 5 + 5, (byte) 8);
            assertOne(f.indirect(BLKIF_OP_READ, 12, 35, 0, f.gref(15), segs.array()), 35, Blkif.BLKIF_OP_INDIRECT, BLKIF_RSP_ERROR);
            // An indirect page the frontend never granted.
            assertOne(f.indirect(BLKIF_OP_READ, 12, 36, 0, 0x7FFF_0000, segs.array()), 36, Blkif.BLKIF_OP_INDIRECT, BLKIF_RSP_ERROR);
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void segmentSectorsOutsideThePageAreAnError(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.full())) {
            assertOne(f.rw(BLKIF_OP_READ, 1, 41, 0, f.gref(0), 5, 4), 41, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_READ, 1, 42, 0, f.gref(0), 0, 8), 42, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 43, 0, f.gref(0), 255, 255), 43, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertEquals(3L, f.back.rejectedByRule().get("SEGMENT_SECTORS"));
            assertEquals(0, f.back.served());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void rangesThatWrapOrPassTheEndOfTheDiskAreAnError(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.full())) {
            final long sectors = DISK / 512;
            assertOne(f.rw(BLKIF_OP_READ, 1, 51, sectors - 7, f.gref(0), 0, 7), 51, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_READ, 1, 52, -1L, f.gref(0), 0, 7), 52, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 53, Long.MAX_VALUE, f.gref(0), 0, 7), 53, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertOne(f.discard(54, 0, 8, -8L), 54, Blkif.BLKIF_OP_DISCARD, BLKIF_RSP_ERROR);
            assertOne(f.discard(55, 0, sectors, 1), 55, Blkif.BLKIF_OP_DISCARD, BLKIF_RSP_ERROR);
            // The last sector exactly is fine.
            assertOne(f.rw(BLKIF_OP_READ, 1, 56, sectors - 8, f.gref(0), 0, 7), 56, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(5L, f.back.rejectedByRule().get("OUTSIDE_DISK"));
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void writesAndDiscardsOnAReadOnlyDiskFail(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, true, BlkBackConfig.full())) {
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 61, 0, f.gref(0), 0, 7), 61, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            // A read-only disk does not advertise discard at all.
            assertOne(f.discard(62, 0, 0, 8), 62, Blkif.BLKIF_OP_DISCARD, BLKIF_RSP_EOPNOTSUPP);
            assertOne(f.rw(BLKIF_OP_READ, 1, 63, 0, f.gref(0), 0, 7), 63, BLKIF_OP_READ, BLKIF_RSP_OKAY);
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void secureDiscardWithoutTheFeatureAndUnknownFlagsAreRefused(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, new BlkBackConfig(0, 0, true, false))) {
            assertOne(f.discard(71, Blkif.BLKIF_DISCARD_SECURE, 0, 8), 71, Blkif.BLKIF_OP_DISCARD, BLKIF_RSP_EOPNOTSUPP);
            assertOne(f.discard(72, 0x80, 0, 8), 72, Blkif.BLKIF_OP_DISCARD, BLKIF_RSP_EOPNOTSUPP);
            assertOne(f.discard(73, 0, 0, 8), 73, Blkif.BLKIF_OP_DISCARD, BLKIF_RSP_OKAY);
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void everyGrantIsCheckedAndABadOneFailsTheRequestWithoutIo(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.full())) {
            f.data.buffer().setMemory(0, 16 * 4096, (byte) 0x33);
            // The third of three segments names a grant that does not exist: the whole write fails.
            final int slot = f.ring.claimRequest();
            f.putRw(f.ring.buffer(), slot, BLKIF_OP_WRITE, 3, 81, 0, new int[] {f.gref(0), f.gref(1), 0x7FFF_FFF0},
                new int[] {0, 0, 0}, new int[] {7, 7, 7});
            assertOne(f.push(), 81, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertEquals(0, f.disk.snapshot(0, 1)[0]);
            // A grant of another domain's page, or the ring page itself read-only: still per grant.
            assertOne(f.rw(BLKIF_OP_READ, 1, 82, 0, -1, 0, 7), 82, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertEquals(2L, f.back.rejectedByRule().get("GRANT_MAP"));
            // The device still works afterwards, and no mapping is left behind.
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 83, 0, f.gref(0), 0, 7), 83, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
            assertNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void misalignedRequestsOnA4kSectorDiskAreAnError(final BlkifAbi abi) {
        try (RawFrontend f = new RawFrontend(abi, new MemoryBlockStore(DISK, 4096, 4096, false), BlkBackConfig.full())) {
            assertOne(f.rw(BLKIF_OP_READ, 1, 91, 1, f.gref(0), 0, 7), 91, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_READ, 1, 92, 0, f.gref(0), 0, 3), 92, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_READ, 1, 93, 8, f.gref(0), 0, 7), 93, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(2L, f.back.rejectedByRule().get("MISALIGNED"));
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aRequestProducerBeyondTheRingStopsTheDeviceNamingDomainDeviceAndRule(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.full())) {
            f.hostileReqProd(f.ring.size() + 1);
            f.drain();
            final String reason = f.back.brokenReason();
            assertNotNull(reason);
            assertTrue(reason.contains("dom0") && reason.contains("vbd-" + f.guest.domid() + "-51712") && reason.contains("R3"), reason);
            assertEquals(0, f.back.doWork());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aRequestProducerBehindTheConsumerStopsTheDevice(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, BlkBackConfig.full())) {
            assertOne(f.rw(BLKIF_OP_READ, 1, 1, 0, f.gref(0), 0, 7), 1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            f.hostileReqProd(0);
            f.drain();
            assertNotNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"17", "0", "-1", "99999999999", "two"})
    void xenstoreValuesOfTheFrontendAreRangeChecked(final String queues) {
        try (RawFrontend f = new RawFrontend(BlkifAbi.X86_64, new MemoryBlockStore(DISK), BlkBackConfig.full(), false,
            java.util.Map.of("multi-queue-num-queues", queues), false)) {
            final String reason = f.back.brokenReason();
            assertNotNull(reason);
            assertTrue(reason.contains("multi-queue-num-queues") && reason.contains("dom0"), reason);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"5", "x", "-3"})
    void aRingPageOrderAboveTheAdvertisedMaximumIsRefused(final String order) {
        try (RawFrontend f = new RawFrontend(BlkifAbi.X86_64, new MemoryBlockStore(DISK), BlkBackConfig.full(), false,
            java.util.Map.of("ring-page-order", order), false)) {
            final String reason = f.back.brokenReason();
            assertNotNull(reason);
            assertTrue(reason.contains("ring-page-order"), reason);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"x86_16-abi", "", "arm-abi"})
    void anUnknownProtocolIsRefused(final String protocol) {
        try (RawFrontend f = new RawFrontend(BlkifAbi.X86_64, new MemoryBlockStore(DISK), BlkBackConfig.full(), false,
            java.util.Map.of("protocol", protocol), false)) {
            final String reason = f.back.brokenReason();
            assertNotNull(reason);
            assertTrue(reason.contains("protocol="), reason);
        }
    }
}
