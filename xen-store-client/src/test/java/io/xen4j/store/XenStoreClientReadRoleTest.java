package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.store.transport.UnixSocketTransport;
import io.xen4j.store.transport.XsTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who reads the connection: a blocking caller reads its own reply (no hand-off to the reader
 * thread, as libxenstore reads on the caller's thread), while watches and asynchronous requests
 * are read by the reader thread.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class XenStoreClientReadRoleTest {
    private Path dir;
    private FakeServers servers;

    /** Records the threads that called {@link #receive}. */
    private static final class RecordingTransport implements XsTransport {
        final XsTransport inner;
        final Set<String> readers = ConcurrentHashMap.newKeySet();

        RecordingTransport(final XsTransport inner) {
            this.inner = inner;
        }

        @Override
        public void send(final ByteBuffer bytes) throws IOException {
            inner.send(bytes);
        }

        @Override
        public int receive(final ByteBuffer dst) throws IOException {
            readers.add(Thread.currentThread().getName());
            return inner.receive(dst);
        }

        @Override
        public String description() {
            return inner.description();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("xs-role");
        servers = new FakeServers(dir);
    }

    @AfterEach
    void stop() throws Exception {
        servers.close();
    }

    @Test
    void aBlockingCallerReadsItsOwnReplyWhenNoWatchIsSet() throws Exception {
        final RecordingTransport t = new RecordingTransport(UnixSocketTransport.connect(servers.socket(0)));
        try (XenStoreClient xs = XenStoreClient.connect(t)) {
            for (int i = 0; i < 100; i++) {
                xs.write("/role/a", "v" + i);
                assertEquals("v" + i, xs.read("/role/a"));
            }
            assertEquals(Set.of(Thread.currentThread().getName()), t.readers);
        }
    }

    @Test
    void watchesAndAsyncRepliesAreReadByTheReaderThreadAndBlockingCallsStillWork() throws Exception {
        final RecordingTransport t = new RecordingTransport(UnixSocketTransport.connect(servers.socket(0)));
        try (XenStoreClient xs = XenStoreClient.connect(t)) {
            assertEquals(9, xs.writeAsync("/role/b", "123456789").thenCompose(v -> xs.readAsync("/role/b"))
                .get(10, TimeUnit.SECONDS).length());
            final CountDownLatch fired = new CountDownLatch(2);
            try (XsWatch w = xs.watch("/role/b", ev -> fired.countDown())) {
                xs.write("/role/b", "changed");
                assertTrue(fired.await(10, TimeUnit.SECONDS), "initial and change events");
                assertEquals("changed", xs.read("/role/b"));
                assertFalse(w.isClosed());
            }
            assertTrue(t.readers.stream().anyMatch(n -> n.startsWith("xenstore-reader")), t.readers.toString());
            // Without the watch the caller reads again.
            t.readers.clear();
            for (int i = 0; i < 20 && !t.readers.contains(Thread.currentThread().getName()); i++) {
                xs.read("/role/b");
            }
            assertTrue(t.readers.contains(Thread.currentThread().getName()), t.readers.toString());
        }
    }

    @Test
    void manyBlockingThreadsShareOneClient() throws Exception {
        try (XenStoreClient xs = XenStoreClient.connect(UnixSocketTransport.connect(servers.socket(0)))) {
            final int threads = 8;
            final Thread[] all = new Thread[threads];
            final Set<Throwable> failures = ConcurrentHashMap.newKeySet();
            for (int k = 0; k < threads; k++) {
                final int id = k;
                all[k] = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 300; i++) {
                            xs.write("/role/t" + id, Integer.toString(i));
                            if (!Integer.toString(i).equals(xs.read("/role/t" + id))) {
                                throw new AssertionError("thread " + id + " read a stale value at " + i);
                            }
                        }
                    } catch (final Throwable e) {
                        failures.add(e);
                    }
                });
            }
            for (final Thread th : all) {
                th.join(TimeUnit.SECONDS.toMillis(20));
            }
            assertEquals(Set.of(), failures);
            assertEquals(0, xs.requestsInFlight());
        }
    }
}
