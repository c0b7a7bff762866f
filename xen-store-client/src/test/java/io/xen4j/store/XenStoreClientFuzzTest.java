package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.abi.xenstore.XsWireHeader;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The whole client against a daemon that sends arbitrary headers, lengths and payloads in
 * arbitrary chunks while requests of every reply shape are in flight: every request ends with a
 * value or a {@link XenStoreException} (no other exception, no hang), the reader never fails
 * inside, and the connection ends broken once the daemon hangs up. {@code mvn verify} runs the
 * seed corpus; {@code JAZZER_FUZZ=1} fuzzes.
 */
final class XenStoreClientFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void arbitraryDaemonOutputNeverEscapesAsAnythingButXenStoreException(final FuzzedDataProvider data)
        throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(XenStoreClient.Options.DEFAULTS.withWatchQueueCapacity(2)
            .withRequestTimeout(Duration.ofSeconds(5)))) {
            final XenStoreClient c = peer.client;
            final List<CompletableFuture<?>> inFlight = new ArrayList<>();
            inFlight.add(c.readAsync("/a"));
            inFlight.add(c.directoryAsync("/b"));
            inFlight.add(c.getPermissionsAsync("/c"));
            inFlight.add(c.startTransactionAsync());
            inFlight.add(c.isDomainIntroducedAsync(1));
            inFlight.add(c.watchAsync("/w", "t", e -> { }));
            inFlight.add(c.getDomainPathAsync(2));
            for (int i = 0; i < inFlight.size(); i++) {
                peer.nextRequest();
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int messages = data.consumeInt(0, 12);
            for (int i = 0; i < messages && data.remainingBytes() > 0; i++) {
                final byte[] payload = data.consumeBytes(data.consumeInt(0, 600));
                final byte[] head = new byte[XsWireHeader.LENGTH];
                final int len = data.consumeBoolean() ? payload.length : data.consumeInt();
                final int type = data.consumeBoolean() ? data.consumeInt(0, 23) : data.consumeInt();
                final int reqId = data.consumeBoolean() ? data.consumeInt(0, 8) : data.consumeInt();
                XsWireHeader.put(new UnsafeBuffer(head), 0, type, reqId, data.consumeInt(), len);
                out.writeBytes(head);
                out.writeBytes(payload);
            }
            out.writeBytes(data.consumeRemainingAsBytes());
            final byte[] stream = out.toByteArray();
            int at = 0;
            while (at < stream.length) {
                final int n = Math.min(stream.length - at, 1 + (stream[at] & 0x3F) * 7);
                try {
                    peer.sendRaw(java.util.Arrays.copyOfRange(stream, at, at + n));
                } catch (final java.io.UncheckedIOException e) {
                    // The client broke the connection and closed its end: nothing more to send.
                    break;
                }
                at += n;
            }
            peer.hangUp();
            for (final CompletableFuture<?> f : inFlight) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof XenStoreException)) {
                        fail("request failed with " + e.getCause(), e.getCause());
                    }
                } catch (final TimeoutException e) {
                    fail("request never completed");
                }
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!c.isBroken() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(c.isBroken(), "hang-up seen");
            final XenStoreConnectionException why = c.failure();
            assertFalse(why != null && XenStoreClient.READER_BUG.equals(why.operation()),
                "unexpected exception in the reader: " + why);
        }
    }
}
