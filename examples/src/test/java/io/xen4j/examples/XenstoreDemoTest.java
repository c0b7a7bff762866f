package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class XenstoreDemoTest {
    @Test
    void aGuestOnItsRingSeesAWatchARetriedTransactionAndADenial() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        XenstoreDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("xenstore: dom1 connected over xenstore ring xenstore-dom1"), out);
        assertTrue(out.contains("its home is /local/domain/1 (name \"guest\")"), out);
        assertTrue(out.contains("initial event path=data/request token=req-token"), out);
        assertTrue(out.contains("dom0 writes /local/domain/1/data/request -> watch fired: path=data/request"
            + " token=req-token, guest reads \"hello from dom0\""), out);
        assertTrue(out.contains("transaction attempt 1: read counter=0, dom0 wrote counter=10 meanwhile,"
            + " commit -> EAGAIN"), out);
        assertTrue(out.contains("attempt 2 (retry helper, at most 5 attempts): committed counter=11, body ran 1 time(s);"
            + " dom0 reads 11"), out);
        assertTrue(out.matches("(?s).*guest writes /local/domain/0/data/secret -> EACCES: [^\\n]*"
            + "/local/domain/0/data/secret.*"), out);
        assertTrue(out.matches("(?s).*-> EACCES: [^\\n]*(XS_WRITE|write)[^\\n]*\\n.*"), out);
    }
}
