package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GuestConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void keepsOnlyCompleteMarkedLinesWithoutCarriageReturns() throws IOException {
        final Path file = dir.resolve("guest-d.log");
        Files.writeString(file, "[    1.0] boot\r\nXEN4J-DOMU: init started\r\nnoise XEN4J-DOMU: blk xvdb ok\n"
            + "XEN4J-DOMU: half a li", StandardCharsets.UTF_8);
        final GuestConsoleLog log = new GuestConsoleLog(file, GuestConsoleLog.DOMU_MARK);
        assertEquals(List.of("init started", "blk xvdb ok"), log.marks());
    }

    @Test
    void aMissingFileHasNoLinesYet() throws IOException {
        assertEquals(List.of(), GuestConsoleLog.ofXenconsoled(dir, "nobody").marks());
        assertEquals(dir.resolve("guest-nobody.log"), GuestConsoleLog.ofXenconsoled(dir, "nobody").file());
    }

    @Test
    void awaitSeesALineWrittenLater() throws Exception {
        final Path file = dir.resolve("guest-late.log");
        final GuestConsoleLog log = new GuestConsoleLog(file, GuestConsoleLog.DOMU_MARK);
        final CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
            try {
                return log.await(l -> l.startsWith("blk xvdb write/read"), Duration.ofSeconds(20), "the write check");
            } catch (final IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        Files.writeString(file, "XEN4J-DOMU: blk xvdb present\n", StandardCharsets.UTF_8);
        Files.writeString(file, "XEN4J-DOMU: blk xvdb write/read ok: x\n", StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
        assertEquals("blk xvdb write/read ok: x", found.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aTimeoutNamesTheFileWhatAndTheLinesSeen() throws IOException {
        final Path file = dir.resolve("guest-slow.log");
        Files.writeString(file, "XEN4J-DOMU: done\n", StandardCharsets.UTF_8);
        final IOException e = assertThrows(IOException.class, () -> new GuestConsoleLog(file, GuestConsoleLog.DOMU_MARK)
            .await(l -> l.contains("xvdz"), Duration.ofMillis(300), "disk xvdz"));
        final String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("disk xvdz") && message.contains(file.toString()) && message.contains("[done]"),
            message);
    }

    @Test
    void readsAtMostTheBound() throws IOException {
        final Path file = dir.resolve("guest-flood.log");
        final byte[] flood = new byte[GuestConsoleLog.MAX_BYTES + 100];
        java.util.Arrays.fill(flood, (byte) 'x');
        final String tail = "\nXEN4J-DOMU: after the bound\n";
        Files.write(file, flood);
        Files.writeString(file, tail, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(List.of(), new GuestConsoleLog(file, GuestConsoleLog.DOMU_MARK).marks());
    }

    @Test
    void anEmptyMarkIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GuestConsoleLog(dir.resolve("x"), ""));
    }
}
