package io.xen4j.blk;

import io.xen4j.blk.spi.FileBlockStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Run in a JVM without {@code --enable-native-access} by {@link FileBlockStoreNativeTest}: opens a
 * store asking for O_DIRECT, writes and reads back a direct buffer, prints what it saw.
 */
final class StoreWithoutNativeAccess {
    private StoreWithoutNativeAccess() {
    }

    public static void main(final String[] args) throws Exception {
        try (FileBlockStore disk = FileBlockStore.create(Path.of(args[0]), 1 << 20, 512, true)) {
            final ByteBuffer out = ByteBuffer.allocateDirect(4096);
            for (int i = 0; i < 4096; i++) {
                out.put(i, (byte) i);
            }
            disk.write(4096, out);
            final ByteBuffer in = ByteBuffer.allocateDirect(4096);
            disk.read(4096, in);
            if (!in.flip().equals(out.flip())) {
                System.out.println("ROUND TRIP WRONG");
                System.exit(2);
            }
            System.out.println("ROUND TRIP OK native=" + disk.nativeTransfers() + " direct=" + disk.direct());
        }
    }
}
