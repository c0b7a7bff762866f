package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.abi.xenstore.XenstoreDomainInterface;
import io.xen4j.store.transport.XenstoreRingTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hostile daemon on the ring page: arbitrary response bytes, indices, feature, connection and
 * error words, written while a request is in flight. The request ends with a value or a
 * {@link XenStoreException} within the client's timeout, never another exception or a hang, and
 * the reader never fails inside. {@code mvn verify} runs the seed corpus; {@code JAZZER_FUZZ=1}
 * fuzzes.
 */
final class XenstoreRingTransportFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void hostilePageWordsNeverEscapeAsAnythingButXenStoreException(final FuzzedDataProvider data) throws Exception {
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        // The page as the daemon left it before the guest attaches.
        page.putInt(XenstoreDomainInterface.SERVER_FEATURES_OFFSET, data.consumeInt(0, 3));
        page.putInt(XenstoreDomainInterface.REQ_CONS_OFFSET, data.consumeInt());
        page.putInt(XenstoreDomainInterface.REQ_PROD_OFFSET, page.getInt(XenstoreDomainInterface.REQ_CONS_OFFSET));
        page.putInt(XenstoreDomainInterface.RSP_CONS_OFFSET, data.consumeInt());
        page.putInt(XenstoreDomainInterface.RSP_PROD_OFFSET, page.getInt(XenstoreDomainInterface.RSP_CONS_OFFSET));
        try (FakeEventChannelPair pair = new FakeEventChannelPair(3)) {
            final XenstoreRingTransport transport;
            try {
                transport = XenstoreRingTransport.open("fuzz", page, pair.guest::handler, Duration.ofMillis(50));
            } catch (final IOException e) {
                return;
            }
            try (XenStoreClient xs = XenStoreClient.connect(transport, XenStoreClient.Options.DEFAULTS
                .withRequestTimeout(Duration.ofMillis(300)))) {
                final CompletableFuture<String> read = xs.readAsync("/fuzz");
                final byte[] rsp = data.consumeBytes(1024);
                page.putBytes(XenstoreDomainInterface.RSP_OFFSET, rsp);
                final int rspCons = page.getIntVolatile(XenstoreDomainInterface.RSP_CONS_OFFSET);
                final int produced = data.consumeBoolean() ? data.consumeInt(0, 1024) : data.consumeInt();
                page.putIntVolatile(XenstoreDomainInterface.RSP_PROD_OFFSET, rspCons + produced);
                if (data.consumeBoolean()) {
                    page.putIntVolatile(XenstoreDomainInterface.REQ_CONS_OFFSET, data.consumeInt());
                }
                page.putIntVolatile(XenstoreDomainInterface.ERROR_OFFSET, data.consumeInt(0, 4));
                page.putIntVolatile(XenstoreDomainInterface.CONNECTION_OFFSET, data.consumeInt(0, 1));
                pair.daemon.notifyPeer();
                try {
                    read.get(5, TimeUnit.SECONDS);
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof XenStoreException)) {
                        fail("request failed with " + e.getCause(), e.getCause());
                    }
                } catch (final TimeoutException e) {
                    fail("request neither answered nor failed: the client hangs");
                }
                final XenStoreConnectionException why = xs.failure();
                assertTrue(why == null || !XenStoreClient.READER_BUG.equals(why.operation()),
                    "unexpected exception in the reader: " + why);
            }
        }
    }
}
