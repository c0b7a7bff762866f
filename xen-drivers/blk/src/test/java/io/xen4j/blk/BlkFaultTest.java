package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.hal.memory.FaultKind;
import io.xen4j.hal.memory.FaultPlan;
import io.xen4j.hal.memory.FaultRule;
import io.xen4j.hal.memory.SimulatedXen;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Faults of the simulated host: lost, duplicated and spurious notifications; revoked grants and failed maps. */
final class BlkFaultTest {
    private static final long DISK = 4L << 20;

    private static byte[] random(final Random rnd, final int n) {
        final byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void lostDuplicatedAndSpuriousNotificationsLoseNothing() throws Exception {
        final SimulatedXen xen = SimulatedXen.builder().seed(42).faultPlan(FaultPlan.of(
            FaultRule.of(FaultKind.DROP_NOTIFICATION).probability(0.5),
            FaultRule.of(FaultKind.DUPLICATE_NOTIFICATION).probability(0.2),
            FaultRule.of(FaultKind.SPURIOUS_EVENT).probability(0.1))).build();
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(xen, disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            final Random rnd = new Random(5);
            final List<byte[]> data = new ArrayList<>();
            final List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                data.add(random(rnd, 8192));
                writes.add(w.front.write(i * 8192L, Unpooled.wrappedBuffer(data.get(i))));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 128; i++) {
                final ByteBuf b = Unpooled.buffer(8192);
                w.front.readBlocking(i * 8192L, 8192, b);
                final byte[] got = new byte[8192];
                b.readBytes(got);
                assertArrayEquals(data.get(i), got);
            }
            assertTrue(xen.faultLog().count(FaultKind.DROP_NOTIFICATION) > 0, xen.faultLog().toString());
        }
    }

    @Test
    void revokedGrantsAndFailedMapsFailOnlyTheirRequestAndNeverReturnWrongData() throws Exception {
        final SimulatedXen xen = SimulatedXen.builder().seed(7).faultPlan(FaultPlan.of(
            // Spare the first maps (the ring at connect); then revoke now and then.
            FaultRule.of(FaultKind.REVOKE_GRANT).actor(0).everyNth(9).limit(20),
            FaultRule.of(FaultKind.FAIL_MAP).actor(0).everyNth(13).limit(10))).build();
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(xen, disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, false))) {
            w.awaitConnected();
            final Random rnd = new Random(6);
            final byte[][] expected = new byte[64][];
            int failed = 0;
            for (int i = 0; i < 64; i++) {
                final byte[] d = random(rnd, 4096);
                try {
                    w.front.write(i * 4096L, Unpooled.wrappedBuffer(d)).get(10, TimeUnit.SECONDS);
                    expected[i] = d;
                } catch (final ExecutionException e) {
                    assertTrue(e.getCause() instanceof BlockIoException, e.toString());
                    expected[i] = disk.snapshot(i * 4096, 4096);
                    failed++;
                }
            }
            for (int i = 0; i < 64; i++) {
                final ByteBuf b = Unpooled.buffer(4096);
                try {
                    w.front.read(i * 4096L, 4096, b).get(10, TimeUnit.SECONDS);
                    final byte[] got = new byte[4096];
                    b.readBytes(got);
                    assertArrayEquals(expected[i], got, "read " + i);
                } catch (final ExecutionException e) {
                    assertTrue(e.getCause() instanceof BlockIoException, e.toString());
                    assertEquals(0, b.readableBytes(), "a failed read returns no data");
                    failed++;
                }
            }
            assertTrue(failed > 0, "some requests met a fault: " + xen.faultLog());
            assertNull(w.front.brokenReason());
            assertNull(w.back.brokenReason());
        }
    }
}
