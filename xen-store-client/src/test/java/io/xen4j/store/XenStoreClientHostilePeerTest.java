package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import io.xen4j.abi.xenstore.XsdErrors;
import io.xen4j.store.wire.XsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client against a daemon that breaks the protocol (SECURITY-RULES, xenstore: the client
 * rejects a reply whose length exceeds 4096; R9 bounded queues; R10 a broken connection, never a
 * crash or a hang), and the request-id correlation it relies on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class XenStoreClientHostilePeerTest {
    private static XenStoreConnectionException brokenCause(final CompletableFuture<?> f) {
        final Throwable t = assertThrows(CompletionException.class, f::join).getCause();
        return assertInstanceOf(XenStoreConnectionException.class, t);
    }

    /** Why the connection broke: the message of the failure every request got as its cause. */
    private static String reason(final XenStoreConnectionException e) {
        return String.valueOf(java.util.Objects.requireNonNull(e.getCause()).getMessage());
    }

    private static byte[] header(final int type, final int reqId, final int txId, final int len) {
        final byte[] b = new byte[XsWireHeader.LENGTH];
        XsWireHeader.put(new UnsafeBuffer(b), 0, type, reqId, txId, len);
        return b;
    }

    @Test
    void aReplyLongerThan4096BytesBreaksTheConnection() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            final XsMessage req = peer.nextRequest();
            peer.sendRaw(header(XsWire.XS_READ, req.reqId(), 0, XsWire.XENSTORE_PAYLOAD_MAX + 1));
            final XenStoreConnectionException e = brokenCause(read);
            assertEquals(XsdErrors.EIO, e.errorName());
            assertTrue(reason(e).contains("len=4097"), reason(e));
            assertTrue(peer.client.isBroken());
            assertThrows(XenStoreException.class, () -> peer.client.read("/b"), "later requests fail at once");
        }
    }

    @Test
    void aReplyOfExactly4096BytesIsAccepted() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<byte[]> read = peer.client.readBytesAsync("/a");
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.of(XsWire.XS_READ, req.reqId(), 0, new byte[XsWire.XENSTORE_PAYLOAD_MAX]));
            assertEquals(XsWire.XENSTORE_PAYLOAD_MAX, read.join().length);
            assertFalse(peer.client.isBroken());
        }
    }

    @Test
    void anUnknownMessageTypeBreaksTheConnection() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            final XsMessage req = peer.nextRequest();
            peer.sendRaw(header(20, req.reqId(), 0, 0));
            assertTrue(reason(brokenCause(read)).contains("unknown type"));
        }
    }

    @Test
    void aReplyToNoRequestBreaksTheConnection() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.ofRawString(XsWire.XS_READ, req.reqId() + 1000, 0, "x"));
            assertTrue(reason(brokenCause(read)).contains("reply to no request"));
        }
    }

    @Test
    void aReplyOfAnotherTypeBreaksTheConnection() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.ok(XsWire.XS_WRITE, req.reqId(), 0));
            final XenStoreConnectionException e = brokenCause(read);
            assertTrue(reason(e).contains("XS_WRITE to XS_READ"), reason(e));
        }
    }

    @Test
    void theDaemonHangingUpMidMessageFailsEveryRequestInFlight() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<String> a = peer.client.readAsync("/a");
            final CompletableFuture<String> b = peer.client.readAsync("/b");
            final XsMessage req = peer.nextRequest();
            peer.sendRaw(java.util.Arrays.copyOf(header(XsWire.XS_READ, req.reqId(), 0, 10), 20));
            peer.hangUp();
            brokenCause(a);
            brokenCause(b);
            assertEquals(0, peer.client.requestsInFlight());
        }
    }

    @Test
    void anErrorNameOutsideTheHeaderIsKeptPrintableAndShort() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            final XsMessage req = peer.nextRequest();
            final byte[] weird = ("EWEIRD\u0001" + "X".repeat(500)).getBytes(StandardCharsets.UTF_8);
            peer.send(XsMessage.of(XsWire.XS_ERROR, req.reqId(), 0, weird));
            final XenStoreException e = assertInstanceOf(XenStoreException.class,
                assertThrows(CompletionException.class, read::join).getCause());
            assertTrue(e.errorName().startsWith("EWEIRD\\u0001XXX"), e.errorName());
            assertTrue(e.errorName().length() < 80, e.errorName());
            assertFalse(peer.client.isBroken(), "an error reply, however odd, answers its request");
        }
    }

    @Test
    void aMalformedPermissionListFailsThatRequestOnly() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<List<XsPermission>> perms = peer.client.getPermissionsAsync("/a");
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.ofStrings(XsWire.XS_GET_PERMS, req.reqId(), 0, "x1"));
            final XenStoreException e = assertInstanceOf(XenStoreException.class,
                assertThrows(CompletionException.class, perms::join).getCause());
            assertEquals(XsdErrors.EIO, e.errorName());
            assertTrue(String.valueOf(e.getMessage()).contains("malformed reply"), e.getMessage());
            assertFalse(peer.client.isBroken());
        }
    }

    @Test
    void aMalformedTransactionIdFailsThatRequestOnly() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<XsTransaction> tx = peer.client.startTransactionAsync();
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.ofStrings(XsWire.XS_TRANSACTION_START, req.reqId(), 0, "-1"));
            final XenStoreException e = assertInstanceOf(XenStoreException.class,
                assertThrows(CompletionException.class, tx::join).getCause());
            assertEquals(XsdErrors.EIO, e.errorName());
        }
    }

    @Test
    void aWatchEventWithoutATokenBreaksTheConnection() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            peer.nextRequest();
            peer.send(XsMessage.ofStrings(XsWire.XS_WATCH_EVENT, 0, 0, "/only-a-path"));
            assertTrue(reason(brokenCause(read)).contains("watch event"));
        }
    }

    @Test
    void aSilentDaemonBreaksTheConnectionAfterTheTimeout() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(XenStoreClient.Options.DEFAULTS
            .withRequestTimeout(Duration.ofMillis(200)))) {
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            peer.nextRequest();
            final XenStoreConnectionException e = brokenCause(read);
            assertTrue(reason(e).contains("no reply within"), reason(e));
        }
    }

    @Test
    void repliesInAnyOrderReachTheirRequests() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final List<CompletableFuture<String>> reads = new ArrayList<>();
            final List<XsMessage> requests = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                reads.add(peer.client.readAsync("/n/" + i));
                requests.add(peer.nextRequest());
            }
            for (int i = requests.size() - 1; i >= 0; i--) {
                final XsMessage r = requests.get(i);
                peer.send(XsMessage.ofRawString(XsWire.XS_READ, r.reqId(), 0, "v:" + r.firstString()));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals("v:/n/" + i, reads.get(i).join());
            }
        }
    }

    @Test
    void eventsForATokenNoLongerWatchedAreIgnored() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.send(XsMessage.watchEvent("/x", "nobody"));
            final CompletableFuture<String> read = peer.client.readAsync("/a");
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.ofRawString(XsWire.XS_READ, req.reqId(), 0, "ok"));
            assertEquals("ok", read.join());
            assertFalse(peer.client.isBroken());
        }
    }

    @Test
    void aFullWatchQueueMergesEventsAndStaysBounded() throws Exception {
        final int capacity = 8;
        try (ScriptedPeer peer = new ScriptedPeer(XenStoreClient.Options.DEFAULTS.withWatchQueueCapacity(capacity))) {
            final CountDownLatch release = new CountDownLatch(1);
            final LinkedBlockingQueue<WatchEvent> seen = new LinkedBlockingQueue<>();
            final CompletableFuture<XsWatch> set = peer.client.watchAsync("/w", "t", e -> {
                try {
                    release.await();
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                seen.add(e);
            });
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.ok(XsWire.XS_WATCH, req.reqId(), 0));
            final XsWatch watch = set.join();
            final int sent = 1000;
            for (int i = 0; i < sent; i++) {
                peer.send(XsMessage.watchEvent("/w/" + (i % 3), "t"));
            }
            // A round trip after the events: the reader has queued them all once it answers.
            final CompletableFuture<String> sync = peer.client.readAsync("/sync");
            final XsMessage r = peer.nextRequest();
            peer.send(XsMessage.ofRawString(XsWire.XS_READ, r.reqId(), 0, ""));
            sync.join();
            assertTrue(watch.queuedEvents() <= capacity, "queued " + watch.queuedEvents());
            assertEquals(sent, watch.receivedEvents());
            assertTrue(watch.mergedEvents() >= sent - capacity - 1, "merged " + watch.mergedEvents());
            release.countDown();
            int total = 0;
            boolean sawMerged = false;
            while (total < sent) {
                final WatchEvent e = seen.poll(10, TimeUnit.SECONDS);
                assertNotNull(e, "events delivered: " + total);
                total += e.count();
                if (e.coalesced()) {
                    sawMerged = true;
                    assertEquals("/w", e.path(), "a merge of different nodes names the watched path");
                }
            }
            assertEquals(sent, total, "no event is lost, only merged");
            assertTrue(sawMerged);
            assertNull(seen.poll(100, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopLaterEvents() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
            final CompletableFuture<XsWatch> set = peer.client.watchAsync("/w", "t", e -> {
                seen.add(e.path());
                throw new IllegalStateException("listener bug");
            });
            final XsMessage req = peer.nextRequest();
            peer.send(XsMessage.ok(XsWire.XS_WATCH, req.reqId(), 0));
            set.join();
            peer.send(XsMessage.watchEvent("/w/1", "t"));
            peer.send(XsMessage.watchEvent("/w/2", "t"));
            assertEquals("/w/1", seen.poll(10, TimeUnit.SECONDS));
            assertEquals("/w/2", seen.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void inFlightRequestsAreBounded() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(XenStoreClient.Options.DEFAULTS.withMaxInFlight(2))) {
            final CompletableFuture<List<CompletableFuture<String>>> sender = CompletableFuture.supplyAsync(() -> {
                final List<CompletableFuture<String>> out = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    out.add(peer.client.readAsync("/" + i));
                }
                return out;
            });
            final XsMessage a = peer.nextRequest();
            final XsMessage b = peer.nextRequest();
            Thread.sleep(100);
            assertFalse(sender.isDone(), "the third request waits for a free slot");
            assertEquals(2, peer.client.requestsInFlight());
            peer.send(XsMessage.ofRawString(XsWire.XS_READ, a.reqId(), 0, "a"));
            final XsMessage c = peer.nextRequest();
            peer.send(XsMessage.ofRawString(XsWire.XS_READ, b.reqId(), 0, "b"));
            peer.send(XsMessage.ofRawString(XsWire.XS_READ, c.reqId(), 0, "c"));
            final List<CompletableFuture<String>> reads = sender.join();
            assertEquals(List.of("a", "b", "c"), reads.stream().map(CompletableFuture::join).toList());
        }
    }

    @Test
    void aDirectoryThatChangesBetweenPartsIsReadAgainFromTheStart() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<List<String>> dir = peer.client.directoryAsync("/d");
            XsMessage req = peer.nextRequest();
            assertEquals(XsWire.XS_DIRECTORY, req.type());
            peer.send(XsMessage.error(req.reqId(), 0, XsdErrors.E2BIG));
            req = peer.nextRequest();
            assertEquals(List.of("/d", "0"), req.strings());
            peer.send(XsMessage.of(XsWire.XS_DIRECTORY_PART, req.reqId(), 0, "7\0a\0b\0".getBytes(StandardCharsets.UTF_8)));
            req = peer.nextRequest();
            assertEquals(List.of("/d", "4"), req.strings());
            peer.send(XsMessage.of(XsWire.XS_DIRECTORY_PART, req.reqId(), 0, "8\0x\0\0".getBytes(StandardCharsets.UTF_8)));
            req = peer.nextRequest();
            assertEquals(List.of("/d", "0"), req.strings(), "generation changed: start again");
            peer.send(XsMessage.of(XsWire.XS_DIRECTORY_PART, req.reqId(), 0, "8\0a\0b\0".getBytes(StandardCharsets.UTF_8)));
            req = peer.nextRequest();
            peer.send(XsMessage.of(XsWire.XS_DIRECTORY_PART, req.reqId(), 0, "8\0c\0\0".getBytes(StandardCharsets.UTF_8)));
            assertEquals(List.of("a", "b", "c"), dir.join());
        }
    }

    @Test
    void anEmptyDirectoryReadInPartsIsEmpty() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<List<String>> dir = peer.client.directoryAsync("/d");
            XsMessage req = peer.nextRequest();
            peer.send(XsMessage.error(req.reqId(), 0, XsdErrors.E2BIG));
            req = peer.nextRequest();
            peer.send(XsMessage.of(XsWire.XS_DIRECTORY_PART, req.reqId(), 0, "3\0\0".getBytes(StandardCharsets.UTF_8)));
            assertEquals(List.of(), dir.join());
        }
    }

    @Test
    void aDirectoryPartThatMakesNoProgressIsAnError() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final CompletableFuture<List<String>> dir = peer.client.directoryAsync("/d");
            XsMessage req = peer.nextRequest();
            peer.send(XsMessage.error(req.reqId(), 0, XsdErrors.E2BIG));
            req = peer.nextRequest();
            peer.send(XsMessage.of(XsWire.XS_DIRECTORY_PART, req.reqId(), 0, "3\0ab".getBytes(StandardCharsets.UTF_8)));
            final XenStoreException e = assertInstanceOf(XenStoreException.class,
                assertThrows(CompletionException.class, dir::join).getCause());
            assertEquals(XsdErrors.EIO, e.errorName());
        }
    }

    @Test
    void everyDomainAndControlRequestIsSentAsTheProtocolSays() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            final XenStoreClient c = peer.client;
            final CompletableFuture<Void> intro = c.introduceAsync(7, 0xFFFF_FFFF_FFL, 3);
            XsMessage req = peer.nextRequest();
            assertEquals(XsWire.XS_INTRODUCE, req.type());
            assertEquals(List.of("7", Long.toString(0xFFFF_FFFF_FFL), "3"), req.strings());
            peer.send(XsMessage.ok(req.type(), req.reqId(), 0));
            intro.join();
            final CompletableFuture<Boolean> introduced = c.isDomainIntroducedAsync(7);
            req = peer.nextRequest();
            peer.send(XsMessage.ofStrings(req.type(), req.reqId(), 0, "F"));
            assertFalse(introduced.join());
            final CompletableFuture<String> control = c.controlAsync("log", "on");
            req = peer.nextRequest();
            assertEquals(List.of("log", "on"), req.strings());
            peer.send(XsMessage.ofStrings(req.type(), req.reqId(), 0, "OK"));
            assertEquals("OK", control.join());
            final CompletableFuture<XsMessage> raw = c.requestRaw(XsMessage.ofStrings(XsWire.XS_RELEASE, 99, 0, "7"));
            req = peer.nextRequest();
            assertEquals(XsWire.XS_RELEASE, req.type());
            peer.send(XsMessage.error(req.reqId(), 0, XsdErrors.EACCES));
            assertEquals(XsdErrors.EACCES, raw.join().errorName());
        }
    }
}
