package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's own operations per second, measured briefly on every build and printed (the
 * figures of the speed section come from a longer run: {@code -Dxen4j.throughputMillis=5000}).
 * Only sanity is asserted: the shared CI machine gives no stable timing.
 */
final class XenstoreThroughputTest {
    private static final long MILLIS = Long.getLong("xen4j.throughputMillis", 300);

    @TempDir
    Path dir;

    private static double opsPerSecond(final String name, final IntConsumer op) {
        for (int i = 0; i < 20_000; i++) {
            op.accept(i);
        }
        final long end = System.nanoTime() + MILLIS * 1_000_000;
        long n = 0;
        final long start = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                op.accept((int) n + i);
            }
            n += 1000;
        }
        final double rate = n * 1e9 / (System.nanoTime() - start);
        System.out.printf("xenstored %-34s %,12.0f ops/s%n", name, rate);
        return rate;
    }

    @Test
    void coreOperationsPerSecond() {
        final XenstoreCore core = new XenstoreCore();
        final XsConnection c = core.connect(0);
        core.createDomainHome(0, "Domain-0");
        for (int i = 0; i < 100; i++) {
            core.handle(c, XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 1, 0, "/bench/k" + i, new byte[64]));
        }
        drain(c);
        final XsMessage read = XsMessage.ofStrings(XsWire.XS_READ, 1, 0, "/bench/k7");
        final XsMessage[] writes = new XsMessage[100];
        for (int i = 0; i < 100; i++) {
            writes[i] = XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 1, 0, "/bench/k" + i, new byte[64]);
        }
        final XsMessage dir = XsMessage.ofStrings(XsWire.XS_DIRECTORY, 1, 0, "/bench");
        assertTrue(opsPerSecond("read (in-process core)", i -> {
            core.handle(c, read);
            c.pollOutput();
        }) > 0);
        opsPerSecond("write (in-process core)", i -> {
            core.handle(c, writes[i % 100]);
            c.pollOutput();
        });
        opsPerSecond("directory of 100 (in-process core)", i -> {
            core.handle(c, dir);
            c.pollOutput();
        });
        opsPerSecond("transaction: start, write, commit", i -> {
            core.handle(c, XsMessage.ofStrings(XsWire.XS_TRANSACTION_START, 1, 0, ""));
            final int tx = Integer.parseInt(java.util.Objects.requireNonNull(c.pollOutput()).firstString());
            core.handle(c, writes[i % 100].withIds(2, tx));
            c.pollOutput();
            core.handle(c, XsMessage.ofStrings(XsWire.XS_TRANSACTION_END, 3, tx, "T"));
            c.pollOutput();
        });
        final XsConnection watcher = core.connect(0);
        for (int w = 0; w < 10; w++) {
            core.handle(watcher, XsMessage.ofStrings(XsWire.XS_WATCH, 1, 0, "/bench", "w" + w));
        }
        opsPerSecond("write firing 10 watches", i -> {
            core.handle(c, writes[i % 100]);
            c.pollOutput();
            drain(watcher);
        });
        assertEquals(0, core.internalErrors());
    }

    private static void drain(final XsConnection c) {
        while (c.pollOutput() != null) {
            // discard
        }
    }

    @Test
    void socketRoundTripsAndPipelinedRequestsPerSecond() throws IOException {
        final XenstoreService service = new XenstoreService();
        try (XenstoredSocketServer server = XenstoredSocketServer.start(service, dir.resolve("s"));
             SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.path()))) {
            final byte[] write = XsEncoder.toBytes(XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 1, 0, "/b/x",
                new byte[16]));
            final byte[] read = XsEncoder.toBytes(XsMessage.ofStrings(XsWire.XS_READ, 1, 0, "/b/x"));
            final XsParser parser = new XsParser();
            final ByteBuffer in = ByteBuffer.allocate(1 << 20);
            in.flip();
            final int[] got = new int[1];
            final Runnable await = () -> {
                try {
                    while (true) {
                        if (in.hasRemaining() && parser.parse(in) instanceof ParseResult.Packet) {
                            got[0]++;
                            return;
                        }
                        if (!in.hasRemaining()) {
                            in.clear();
                            ch.read(in);
                            in.flip();
                        }
                    }
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            final IntConsumer roundTrip = i -> {
                try {
                    ch.write(ByteBuffer.wrap(i % 2 == 0 ? write : read));
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                await.run();
            };
            opsPerSecond("socket round trip, 1 in flight", roundTrip);
            final int depth = 64;
            final ByteBuffer batch = ByteBuffer.allocate(read.length * depth);
            for (int k = 0; k < depth; k++) {
                batch.put(read);
            }
            opsPerSecond("socket reads, 64 in flight", i -> {
                if (i % depth == 0) {
                    batch.flip();
                    try {
                        while (batch.hasRemaining()) {
                            ch.write(batch);
                        }
                    } catch (final IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    batch.clear();
                    batch.position(batch.capacity());
                    for (int k = 0; k < depth; k++) {
                        await.run();
                    }
                }
            });
            assertTrue(got[0] > 0);
        }
        assertEquals(0L, service.call(XenstoreCore::internalErrors));
    }
}
