package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.ring.RingSizes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Java against C in two processes: one blkif ring in a {@code /dev/shm} file mapped by both, one
 * FIFO per direction for events (one byte per notification). The C side ({@code ring_peer.c}) is
 * built from the real ring.h macros. Each run moves 10^6 requests, checks every request and every
 * response field by field on both sides, and uses the event-suppression protocol: a side that
 * found no work for a while re-arms its event index with the final check and blocks on its FIFO.
 */
final class CrossProcessRingTest {
    private static final int COUNT = 1_000_000;
    /** Polls before a side re-arms its event index and blocks: short, so that both paths run. */
    private static final int SPIN = 200;

    @ParameterizedTest(name = "java={0} depth={1} pages={2}")
    @CsvSource({
        "front, 1, 1",
        "front, full, 1",
        "back, 1, 1",
        "back, full, 1",
        "front, full, 4",
        "back, full, 4",
    })
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void javaAndCShareOneRingForAMillionRequests(final String javaRole, final String depthName, final int pages)
        throws Exception {
        final Path exe = NativeTools.program("ring_peer");
        final int bytes = pages * RingSizes.XEN_PAGE_SIZE;
        final int depth = depthName.equals("full") ? RingSizes.ringSize(bytes, BlkifTraffic.SLOT) : 1;
        final Path dir = Files.createDirectories(Path.of("target", "xproc").toAbsolutePath());
        // A file in /dev/shm is shared memory; elsewhere the page cache still shares one MAP_SHARED mapping.
        final Path shmDir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : dir;
        final Path shm = Files.createTempFile(shmDir, "xen4j-ring-", ".shm");
        final Path toC = dir.resolve("to-c-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        final Path toJava = dir.resolve("to-java-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        NativeTools.run(List.of("mkfifo", toC.toString(), toJava.toString()), null, 30);
        Process c = null;
        try (FileChannel shmChannel = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel notifyOut = FileChannel.open(toC, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel notifyIn = FileChannel.open(toJava, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            shmChannel.truncate(0);
            shmChannel.write(ByteBuffer.allocate(bytes), 0);
            final MappedByteBuffer mapped = shmChannel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
            final AtomicBuffer ring = new UnsafeBuffer(mapped);
            final String cRole = javaRole.equals("front") ? "back" : "front";
            c = new ProcessBuilder(exe.toString(), cRole, shm.toString(), Integer.toString(pages), toJava.toString(),
                toC.toString(), Integer.toString(COUNT), Integer.toString(depth), Integer.toString(SPIN))
                .redirectErrorStream(true).start();
            final Events events = new Events(notifyOut, notifyIn);
            final long started = System.nanoTime();
            final String javaSummary = javaRole.equals("front")
                ? new JavaFront(ring, events).run(COUNT, depth)
                : new JavaBack(ring, events).run(COUNT);
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(c.waitFor(60, TimeUnit.SECONDS), "C peer did not finish");
            final String cOutput = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertEquals(0, c.exitValue(), "C peer failed: " + cOutput);
            assertTrue(cOutput.startsWith("role=" + cRole + " requests=" + COUNT + " "), cOutput);
            System.out.printf("xen-rings cross-process java=%s depth=%d pages=%d: %d requests in %d ms; java %s; C %s%n",
                javaRole, depth, pages, COUNT, millis, javaSummary, cOutput);
        } finally {
            if (c != null && c.isAlive()) {
                c.destroyForcibly();
            }
            Files.deleteIfExists(shm);
            Files.deleteIfExists(toC);
            Files.deleteIfExists(toJava);
        }
    }

    /** Event channel stand-in: one byte per notification on a FIFO. */
    static final class Events {
        private final FileChannel out;
        private final FileChannel in;
        private final ByteBuffer one = ByteBuffer.allocateDirect(1);
        private final ByteBuffer drain = ByteBuffer.allocateDirect(64);
        long notifies;
        long waits;

        Events(final FileChannel out, final FileChannel in) {
            this.out = out;
            this.in = in;
        }

        void notifyPeer() throws IOException {
            notifies++;
            one.clear().put((byte) 'e').flip();
            while (one.hasRemaining()) {
                out.write(one);
            }
        }

        void await() throws IOException {
            waits++;
            drain.clear();
            if (in.read(drain) <= 0) {
                throw new IOException("event FIFO closed");
            }
        }
    }

    /** The Java frontend: the same loop as run_front in ring_peer.c. */
    static final class JavaFront {
        private final AtomicBuffer ring;
        private final Events events;
        private final BlkifTraffic traffic = new BlkifTraffic();
        private int done;
        private int firstBad = -1;
        private int badField;
        private final SlotHandler check = this::onResponse;

        JavaFront(final AtomicBuffer ring, final Events events) {
            this.ring = ring;
            this.events = events;
        }

        private void onResponse(final DirectBuffer copy, final int index) {
            final int bad = BlkifTraffic.checkResponse(copy, 0, done);
            if (bad != 0 && firstBad < 0) {
                firstBad = done;
                badField = bad;
            }
            done++;
        }

        String run(final int count, final int depth) throws IOException {
            final FrontRing front = new FrontRing("xproc.front", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
            events.notifyPeer();
            int sent = 0;
            int idle = 0;
            while (done < count) {
                boolean produced = false;
                while (sent < count && sent - done < depth) {
                    final int slot = front.claimRequest();
                    if (slot == FrontRing.NO_SLOT) {
                        break;
                    }
                    traffic.fillRequest(ring, slot, sent++);
                    produced = true;
                }
                if (produced && front.pushRequestsAndCheckNotify()) {
                    events.notifyPeer();
                }
                final int got = front.pollResponses(check, Integer.MAX_VALUE);
                assertFalse(front.isBroken(), front.brokenReason());
                assertEquals(-1, firstBad, () -> "response " + firstBad + " has wrong field " + badField);
                if (got > 0) {
                    idle = 0;
                    continue;
                }
                if (produced) {
                    continue;
                }
                if (++idle < SPIN) {
                    Thread.onSpinWait();
                    continue;
                }
                idle = 0;
                if (!front.finalCheckForResponses()) {
                    events.await();
                }
            }
            return "requests=" + done + " notifies=" + events.notifies + " waits=" + events.waits;
        }
    }

    /** The Java backend: the same loop as run_back in ring_peer.c. */
    static final class JavaBack {
        private final AtomicBuffer ring;
        private final Events events;
        private final BlkifTraffic traffic = new BlkifTraffic();
        private final BackRing back = new BackRing("xproc.back", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE);
        private int handled;
        private int firstBad = -1;
        private int badField;
        private final SlotHandler serve = this::onRequest;

        JavaBack(final AtomicBuffer ring, final Events events) {
            this.ring = ring;
            this.events = events;
        }

        private void onRequest(final DirectBuffer copy, final int index) {
            final int bad = BlkifTraffic.checkRequest(copy, 0, handled);
            if (bad != 0 && firstBad < 0) {
                firstBad = handled;
                badField = bad;
            }
            traffic.fillResponse(ring, back.claimResponse(), handled);
            handled++;
        }

        String run(final int count) throws IOException {
            events.await();
            events.waits = 0;
            back.init(ring);
            int idle = 0;
            while (handled < count) {
                final int consumed = back.pollRequests(serve, Integer.MAX_VALUE);
                assertFalse(back.isBroken(), back.brokenReason());
                assertEquals(-1, firstBad, () -> "request " + firstBad + " has wrong field " + badField);
                if (consumed > 0) {
                    if (back.pushResponsesAndCheckNotify()) {
                        events.notifyPeer();
                    }
                    idle = 0;
                    continue;
                }
                if (++idle < SPIN) {
                    Thread.onSpinWait();
                    continue;
                }
                idle = 0;
                if (!back.finalCheckForRequests()) {
                    events.await();
                }
            }
            return "requests=" + handled + " notifies=" + events.notifies + " waits=" + events.waits;
        }
    }
}
