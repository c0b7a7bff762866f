package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsdErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link XenStoreClient} against a xenstored, whatever the transport: one subclass
 * per transport and server. Subclasses give a privileged (dom0) connection and, where the server
 * can tell domains apart, an unprivileged guest one. Every test works under its own base path and
 * removes it afterwards, so a long-lived server can run the suite.
 *
 * <p>Public so that the in-memory xenstored's tests (xen-hal-memory) can subclass it through the
 * test jar of xen-store-client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class XenStoreClientContract {
    /** Client options for the suite: a timeout so that a silent server fails a test instead of hanging it. */
    protected static final XenStoreClient.Options OPTIONS = XenStoreClient.Options.DEFAULTS
        .withRequestTimeout(java.time.Duration.ofSeconds(30));

    private final List<XenStoreClient> clients = new ArrayList<>();
    /** The privileged client of the test. */
    protected XenStoreClient xs;
    /** The base path of the test, under which it creates everything. */
    protected String base = "/";

    /**
     * A new privileged (dom0) connection to the server.
     *
     * @return the client
     * @throws Exception if it cannot connect
     */
    protected abstract XenStoreClient connectPrivileged() throws Exception;

    /**
     * A new connection of an unprivileged guest, {@link #guestDomid()}, or null if this transport
     * and server have none (then the permission tests are skipped).
     *
     * @return the client or null
     * @throws Exception if it cannot connect
     */
    protected @Nullable XenStoreClient connectGuest() throws Exception {
        return null;
    }

    /**
     * The domain of {@link #connectGuest()}.
     *
     * @return domid
     */
    protected int guestDomid() {
        return 5;
    }

    /**
     * Whether domain management messages (introduce, release, resume, set target) may be sent to
     * this server with made-up arguments.
     *
     * @return true for a server that accepts them harmlessly
     */
    protected boolean acceptsDomainManagement() {
        return false;
    }

    /**
     * Write-then-read rounds each of the eight threads of the concurrency case makes.
     *
     * @return 50 by default
     */
    protected int concurrentRounds() {
        return 50;
    }

    /**
     * Whether this server refuses to introduce a made-up domain ({@code ENOENT}), as a daemon that
     * maps the page it is told of does; asked only when {@link #acceptsDomainManagement()} is false.
     *
     * @return true for a server that may be sent a made-up introduction and must refuse it
     */
    protected boolean refusesMadeUpDomains() {
        return false;
    }

    /**
     * Whether each privileged connection is the test's own at the server. False for a domain's
     * xenbus device ({@code /dev/xen/xenbus}): there the kernel multiplexes every user of the
     * device and its own xenbus drivers onto the domain's one connection, so a
     * {@code XS_RESET_WATCHES} (which xenstore.txt defines as resetting all watches and
     * transactions of the connection) would also drop the kernel's watches; the reset case then
     * does not run.
     *
     * @return true when a reset touches this test's client only
     */
    protected boolean ownsItsConnection() {
        return true;
    }

    /**
     * Whether the server keeps every reply within {@code XENSTORE_PAYLOAD_MAX} and offers
     * {@code XS_DIRECTORY_PART} for longer child lists, as xenstore.txt asks ("limited to 4096
     * in both directions"). False for Xen 4.17's oxenstored, which answers {@code XS_DIRECTORY}
     * with the whole list (10690 bytes seen on its socket); the client refuses such a reply and
     * breaks the connection, as libxenstore does, so the large-directory case does not run.
     *
     * @return true for a server that splits long child lists
     */
    protected boolean splitsLargeDirectories() {
        return true;
    }

    /**
     * Registers a client for closing after the test.
     *
     * @param client the client
     * @return it
     */
    protected final XenStoreClient track(final XenStoreClient client) {
        clients.add(client);
        return client;
    }

    private XenStoreClient guest() throws Exception {
        final XenStoreClient guest = connectGuest();
        Assumptions.assumeTrue(guest != null, "no unprivileged connection on this transport");
        return track(java.util.Objects.requireNonNull(guest));
    }

    @BeforeEach
    void openClient(final TestInfo info) throws Exception {
        xs = track(connectPrivileged());
        base = "/xen4j-contract/" + info.getTestMethod().map(m -> m.getName()).orElse("t") + "-"
            + Long.toHexString(System.nanoTime());
    }

    @AfterEach
    void closeClients() {
        try {
            if (!xs.isBroken()) {
                xs.rm(base);
            }
        } finally {
            for (final XenStoreClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void writeThenReadGivesTheSameBytes() {
        xs.write(base + "/s", "hello");
        assertEquals("hello", xs.read(base + "/s"));
        final byte[] binary = {0, 1, 2, (byte) 0xFF, 0, 'x'};
        xs.write(base + "/b", binary);
        assertArrayEquals(binary, xs.readBytes(base + "/b"));
        xs.write(base + "/e", new byte[0]);
        assertArrayEquals(new byte[0], xs.readBytes(base + "/e"));
        final byte[] big = new byte[2048];
        java.util.Arrays.fill(big, (byte) 'v');
        xs.write(base + "/big", big);
        assertArrayEquals(big, xs.readBytes(base + "/big"));
    }

    @Test
    void readOfAMissingNodeIsEnoentNamingOperationAndPath() {
        final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.read(base + "/missing"));
        assertEquals(XsdErrors.ENOENT, e.errorName());
        assertEquals("XS_READ", e.operation());
        assertEquals(base + "/missing", e.path());
        assertTrue(String.valueOf(e.getMessage()).contains(base + "/missing") && String.valueOf(e.getMessage()).contains("ENOENT"), e.getMessage());
        assertFalse(xs.exists(base + "/missing"));
        assertFalse(xs.isBroken(), "an error reply does not break the connection");
    }

    @Test
    void writeCreatesMissingParentsWithEmptyValues() {
        xs.write(base + "/a/b/c", "v");
        assertEquals("", xs.read(base + "/a"));
        assertEquals("", xs.read(base + "/a/b"));
        assertEquals(List.of("b"), xs.directory(base + "/a"));
        assertTrue(xs.exists(base + "/a/b/c"));
    }

    @Test
    void mkdirCreatesAnEmptyNodeAndLeavesAnExistingOneAlone() {
        xs.mkdir(base + "/d");
        assertEquals("", xs.read(base + "/d"));
        xs.write(base + "/d", "kept");
        xs.mkdir(base + "/d");
        assertEquals("kept", xs.read(base + "/d"));
    }

    @Test
    void rmRemovesTheSubtreeAndToleratesAMissingNodeButNotAMissingParent() {
        xs.write(base + "/r/x/y", "1");
        xs.write(base + "/r/z", "2");
        xs.rm(base + "/r");
        assertFalse(xs.exists(base + "/r"));
        assertFalse(xs.exists(base + "/r/x/y"));
        xs.mkdir(base + "/p");
        xs.rm(base + "/p/never");
        final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.rm(base + "/nope/never"));
        assertEquals(XsdErrors.ENOENT, e.errorName());
        assertEquals("XS_RM", e.operation());
    }

    @Test
    void directoryListsTheChildren() {
        xs.write(base + "/dir/one", "1");
        xs.write(base + "/dir/two", "2");
        xs.mkdir(base + "/dir/three");
        assertEquals(List.of("one", "three", "two"), xs.directory(base + "/dir").stream().sorted().toList());
        assertEquals(List.of(), xs.directory(base + "/dir/one"));
    }

    @Test
    void aDirectoryLargerThanOnePayloadIsReadInParts() {
        Assumptions.assumeTrue(splitsLargeDirectories(), "the server answers XS_DIRECTORY beyond"
            + " XENSTORE_PAYLOAD_MAX instead of E2BIG and has no XS_DIRECTORY_PART");
        final int count = 400;
        final List<String> expected = new ArrayList<>();
        final List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final String name = "child-with-a-long-name-" + i;
            expected.add(name);
            writes.add(xs.mkdirAsync(base + "/big/" + name));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        final List<String> names = xs.directory(base + "/big");
        assertEquals(count, names.size());
        assertEquals(expected.stream().sorted().toList(), names.stream().sorted().toList());
    }

    @Test
    void permissionsRoundTripExactly() {
        xs.write(base + "/p", "v");
        final List<XsPermission> perms = List.of(XsPermission.parse("n0"), XsPermission.parse("r1"),
            XsPermission.parse("w2"), XsPermission.parse("b3"));
        xs.setPermissions(base + "/p", perms);
        assertEquals(perms, xs.getPermissions(base + "/p"));
        assertEquals(List.of("n0", "r1", "w2", "b3"), xs.getPermissions(base + "/p").stream()
            .map(XsPermission::toString).toList());
    }

    @Test
    void aGuestIsDeniedANodeItMayNotReadWithEacces() throws Exception {
        final XenStoreClient guest = guest();
        xs.write(base + "/secret", "s");
        xs.setPermissions(base + "/secret", List.of(XsPermission.of(XsPermission.Access.NONE, 0)));
        final XenStoreException e = assertThrows(XenStoreException.class, () -> guest.read(base + "/secret"));
        assertEquals(XsdErrors.EACCES, e.errorName());
        assertEquals(base + "/secret", e.path());
        assertTrue(String.valueOf(e.getMessage()).contains("EACCES") && String.valueOf(e.getMessage()).contains("XS_READ"), e.getMessage());
        xs.setPermissions(base + "/secret", List.of(XsPermission.of(XsPermission.Access.NONE, 0),
            XsPermission.of(XsPermission.Access.READ, guestDomid())));
        assertEquals("s", guest.read(base + "/secret"));
        assertThrows(XenStoreException.class, () -> guest.write(base + "/secret", "no"));
    }

    @Test
    void aGuestReachesItsHomeByRelativePath() throws Exception {
        final XenStoreClient guest = guest();
        final String home = xs.getDomainPath(guestDomid());
        if (!xs.exists(home)) {
            // A toolstack creates the home of every domain it builds, owned by that domain.
            xs.mkdir(home);
            xs.setPermissions(home, List.of(XsPermission.of(XsPermission.Access.NONE, guestDomid())));
        }
        guest.write("data/contract", "rel");
        assertEquals("rel", xs.read(home + "/data/contract"));
        xs.rm(home + "/data/contract");
    }

    @Test
    void aWatchFiresOnceWhenSetAndThenForEachChangeOffTheReaderThread() throws Exception {
        xs.mkdir(base + "/w");
        final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        try (XsWatch watch = xs.watch(base + "/w", "contract-token", e -> {
            threads.add(Thread.currentThread().getName());
            events.add(e);
        })) {
            assertEquals(new WatchEvent(base + "/w", "contract-token", 1), events.poll(10, TimeUnit.SECONDS));
            xs.write(base + "/w/child", "1");
            final WatchEvent e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e);
            assertEquals(base + "/w/child", e.path());
            assertEquals("contract-token", watch.token());
            for (final String t : threads) {
                assertFalse(t.startsWith("xenstore-reader"), "delivered on the reader thread: " + t);
            }
        }
        assertEquals(0, xs.watchCount());
        xs.write(base + "/w/after", "1");
        final WatchEvent late = events.poll(300, TimeUnit.MILLISECONDS);
        assertTrue(late == null || late.path().equals(base + "/w/child"), "event after unwatch: " + late);
    }

    @Test
    void watchTokensAreUniquePerClientAndReusableAfterClose() {
        final XsWatch first = xs.watch(base, "dup", e -> { });
        final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.watch(base + "/x", "dup", ev -> { }));
        assertEquals("XS_WATCH", e.operation());
        first.close();
        xs.watch(base, "dup", ev -> { }).close();
    }

    @Test
    void watchOfTheIntroduceDomainSpecialPathIsAccepted() throws Exception {
        final CountDownLatch fired = new CountDownLatch(1);
        try (XsWatch w = xs.watch("@introduceDomain", e -> fired.countDown())) {
            assertTrue(fired.await(10, TimeUnit.SECONDS), "initial event of @introduceDomain");
            assertEquals("@introduceDomain", w.path());
        }
    }

    @Test
    void aCommittedTransactionTakesEffectAndAnAbortedOneDoesNot() {
        try (XsTransaction tx = xs.startTransaction()) {
            tx.write(base + "/t/committed", "yes");
            assertEquals("yes", tx.read(base + "/t/committed"));
            tx.commit();
        }
        assertEquals("yes", xs.read(base + "/t/committed"));
        try (XsTransaction tx = xs.startTransaction()) {
            tx.write(base + "/t/aborted", "no");
        }
        assertFalse(xs.exists(base + "/t/aborted"));
    }

    @Test
    void aConflictingCommitFailsWithEagain() {
        xs.write(base + "/c", "0");
        final XsTransaction tx = xs.startTransaction();
        assertEquals("0", tx.read(base + "/c"));
        tx.write(base + "/c", "tx");
        xs.write(base + "/c", "outside");
        final XenStoreException e = assertThrows(XenStoreException.class, tx::commit);
        assertEquals(XsdErrors.EAGAIN, e.errorName());
        assertEquals("XS_TRANSACTION_END", e.operation());
        assertTrue(tx.isEnded());
        assertEquals("outside", xs.read(base + "/c"));
    }

    @Test
    void theRetryHelperRunsTheBodyAgainAfterAConflict() {
        xs.write(base + "/counter", "0");
        final AtomicInteger attempts = new AtomicInteger();
        final String result = xs.transaction(5, tx -> {
            final int n = Integer.parseInt(tx.read(base + "/counter"));
            tx.write(base + "/counter", Integer.toString(n + 1));
            if (attempts.incrementAndGet() == 1) {
                // A change outside the transaction on the first attempt only: its commit conflicts.
                xs.write(base + "/counter", "10");
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(2, attempts.get());
        assertEquals("11", xs.read(base + "/counter"));
    }

    @Test
    void theRetryHelperGivesUpAfterItsBound() {
        xs.write(base + "/hot", "0");
        final AtomicInteger attempts = new AtomicInteger();
        final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.transaction(3, tx -> {
            // The transaction reads the node it writes: oxenstored merges a transaction whose
            // reads nothing changed (a blind write wins), so only a changed read conflicts on
            // every xenstored, as theRetryHelperRunsTheBodyAgainAfterAConflict also reads.
            tx.read(base + "/hot");
            tx.write(base + "/hot", "tx");
            xs.write(base + "/hot", Integer.toString(attempts.incrementAndGet()));
            return "never";
        }));
        assertEquals(XsdErrors.EAGAIN, e.errorName());
        assertEquals(3, attempts.get());
        assertTrue(String.valueOf(e.getMessage()).contains("3 attempts"), e.getMessage());
    }

    @Test
    void manyRequestsInFlightAreMatchedToTheirReplies() {
        final int n = 300;
        final List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            writes.add(xs.writeAsync(base + "/f/" + i, "value-" + i));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        final List<CompletableFuture<String>> reads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reads.add(xs.readAsync(base + "/f/" + i));
        }
        for (int i = 0; i < n; i++) {
            assertEquals("value-" + i, reads.get(i).join());
        }
        assertEquals(0, xs.requestsInFlight());
    }

    @Test
    void concurrentBlockingCallersFromManyThreads() throws Exception {
        final int threads = 8;
        final List<Thread> started = new ArrayList<>();
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < concurrentRounds(); i++) {
                        xs.write(base + "/th/" + id, Integer.toString(i));
                        assertEquals(Integer.toString(i), xs.read(base + "/th/" + id));
                    }
                } catch (final Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (final Thread t : started) {
            t.join();
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void getDomainPathIsTheDomainHome() {
        assertEquals("/local/domain/3", xs.getDomainPath(3));
        assertEquals("/local/domain/0", xs.getDomainPath(0));
    }

    @Test
    void dom0IsIntroduced() {
        assertTrue(xs.isDomainIntroduced(0));
    }

    @Test
    void resetWatchesRemovesEveryWatchAndTransaction() {
        Assumptions.assumeTrue(ownsItsConnection(), "the connection is shared with the domain's kernel:"
            + " XS_RESET_WATCHES would drop the kernel's own watches");
        final XsWatch w = xs.watch(base, e -> { });
        final XsTransaction tx = xs.startTransaction();
        xs.resetWatches();
        assertTrue(w.isClosed());
        assertTrue(tx.isEnded());
        assertEquals(0, xs.watchCount());
        w.close();
        tx.close();
        assertEquals("/local/domain/0", xs.getDomainPath(0), "the connection still works");
    }

    @Test
    void aPayloadOverTheLimitIsE2bigAndNotSent() {
        final byte[] tooBig = new byte[XsWire.XENSTORE_PAYLOAD_MAX];
        final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.write(base + "/big", tooBig));
        assertEquals(XsdErrors.E2BIG, e.errorName());
        assertEquals("XS_WRITE", e.operation());
        assertFalse(xs.isBroken());
        assertFalse(xs.exists(base + "/big"));
    }

    @Test
    void aNulInsideAPathIsEinvalAndNotSent() {
        final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.read(base + "/a\0b"));
        assertEquals(XsdErrors.EINVAL, e.errorName());
        assertFalse(xs.isBroken());
    }

    @Test
    void invalidPathsAreRejectedByTheServer() {
        for (final String bad : List.of(base + "/", base + "//x")) {
            final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.write(bad, "v"), bad);
            assertEquals(XsdErrors.EINVAL, e.errorName(), bad);
        }
    }

    @Test
    void domainManagementMessagesAreAnswered() {
        if (!acceptsDomainManagement()) {
            Assumptions.assumeTrue(refusesMadeUpDomains(), "server is not to be sent made-up domain management");
            // A daemon that maps what it is told to introduce: no page, no domain, and the connection lives on.
            final XenStoreException refused = assertThrows(XenStoreException.class, () -> xs.introduce(42, 0x1234L, 7));
            assertEquals(XsdErrors.ENOENT, refused.errorName());
            assertFalse(xs.isBroken());
            assertEquals(List.of(), xs.directory("/local/domain").stream().filter("42"::equals).toList());
            return;
        }
        xs.introduce(42, 0x1234L, 7);
        xs.setTarget(42, 0);
        xs.resume(42);
        xs.release(42);
    }

    @Test
    void asyncFailuresCarryTheTypedException() {
        final CompletableFuture<String> f = xs.readAsync(base + "/absent");
        final Throwable t = assertThrows(java.util.concurrent.CompletionException.class, f::join).getCause();
        final XenStoreException e = (XenStoreException) java.util.Objects.requireNonNull(t);
        assertEquals(XsdErrors.ENOENT, e.errorName());
        assertNotEquals("", e.connection());
    }

    @Test
    void closingTheClientFailsLaterRequestsWithAConnectionException() throws Exception {
        final XenStoreClient other = track(connectPrivileged());
        other.close();
        assertTrue(other.isBroken());
        final XenStoreException e = assertThrows(XenStoreException.class, () -> other.read("/"));
        assertEquals(XsdErrors.EIO, e.errorName());
        assertTrue(e instanceof XenStoreConnectionException || e.getCause() instanceof XenStoreConnectionException);
    }
}
