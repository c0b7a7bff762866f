package io.xen4j.benchmarks.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xen4j.blk.spi.FileBlockStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The floor row reads what the file holds: every round trip really reads through the store. */
final class BlkifFloorTest {
    @Test
    void eachReadReturnsTheFilesBytesAtItsPosition(@TempDir final Path dir) throws Exception {
        final int size = 1 << 20;
        final byte[] content = new byte[size];
        new SplittableRandom(5).nextBytes(content);
        final Path file = dir.resolve("disk.img");
        try (FileBlockStore store = FileBlockStore.create(file, size, 512)) {
            // Written after the store created (truncated) the file.
            store.write(0, ByteBuffer.wrap(content));
            final BlkifFloor floor = new BlkifFloor(store);
            final SplittableRandom random = new SplittableRandom(9);
            // More reads than the ring has slots: ids and slots wrap.
            for (int i = 0; i < 200; i++) {
                final int position = random.nextInt(size / 4096) * 4096;
                final ByteBuffer page = floor.read(position);
                assertEquals(4096, page.limit(), "read " + i);
                assertEquals(ByteBuffer.wrap(content, position, 4096), page.duplicate().clear(), "read " + i + " at " + position);
            }
        }
    }
}
