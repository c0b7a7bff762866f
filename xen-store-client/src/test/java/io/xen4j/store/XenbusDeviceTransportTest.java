package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.xen4j.store.transport.XenbusDeviceTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device transport on one open file, as {@code /dev/xen/xenbus} is used: a write must go
 * through while another thread is blocked reading the same file. A FIFO opened for reading and
 * writing stands in for the device: what is written comes back to the read.
 */
final class XenbusDeviceTransportTest {
    @Test
    void aWriteIsNotHeldBackByAReaderBlockedOnTheSameFile(@TempDir final Path dir) throws Exception {
        final Path fifo = dir.resolve("xenbus");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        try (XenbusDeviceTransport t = XenbusDeviceTransport.open(fifo)) {
            final ByteBuffer in = ByteBuffer.allocate(64);
            final CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.receive(in);
                } catch (final java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Let the reader block in read(2) first.
            Thread.sleep(200);
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> t.send(ByteBuffer.wrap("request".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(7, read.get(10, TimeUnit.SECONDS));
            assertEquals("request", new String(in.array(), 0, 7, StandardCharsets.US_ASCII));
        }
        Files.deleteIfExists(fifo);
    }
}
