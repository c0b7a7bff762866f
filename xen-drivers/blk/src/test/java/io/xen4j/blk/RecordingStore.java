package io.xen4j.blk;

import io.xen4j.blk.spi.BlockStore;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A memory disk that logs every operation the backend does on it, in order ("w:<offset>", "r:<offset>", "flush"). */
final class RecordingStore implements BlockStore {
    final MemoryBlockStore disk;
    private final List<String> log = new ArrayList<>();

    RecordingStore(final long size) {
        this.disk = new MemoryBlockStore(size);
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private synchronized void add(final String s) {
        log.add(s);
    }

    @Override
    public int sectorSize() {
        return disk.sectorSize();
    }

    @Override
    public long sizeBytes() {
        return disk.sizeBytes();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public void read(final long position, final ByteBuffer dst) throws IOException {
        add("r:" + position);
        disk.read(position, dst);
    }

    @Override
    public void write(final long position, final ByteBuffer src) throws IOException {
        add("w:" + position);
        disk.write(position, src);
    }

    @Override
    public void flush() {
        add("flush");
        disk.flush();
    }

    @Override
    public void discard(final long position, final long length, final boolean secure) throws IOException {
        add("d:" + position);
        disk.discard(position, length, secure);
    }

    @Override
    public void resize(final long newSizeBytes) {
        disk.resize(newSizeBytes);
    }

    @Override
    public void close() {
        disk.close();
    }
}
