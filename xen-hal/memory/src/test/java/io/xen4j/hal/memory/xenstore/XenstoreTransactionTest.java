package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.EAGAIN;
import static io.xen4j.abi.xenstore.XsdErrors.EBUSY;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.ENOENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transactions: a stable view, conflicts as EAGAIN, and effects only at commit. */
final class XenstoreTransactionTest {
    private final XenstoreCore core = new XenstoreCore();
    private final XsTester a = XsTester.dom0(core);
    private final XsTester b = XsTester.dom0(core);

    @Test
    void writesAreInvisibleOutsideUntilCommit() {
        a.write("/t/x", "a");
        final int tx = a.start();
        a.write(tx, "/t/x", "b");
        a.write(tx, "/t/new/deep", "n");
        assertEquals("b", a.read(tx, "/t/x"));
        assertEquals("a", b.read("/t/x"));
        assertEquals(ENOENT, b.readError("/t/new"));
        a.commit(tx);
        assertEquals("b", b.read("/t/x"));
        assertEquals("n", b.read("/t/new/deep"));
    }

    @Test
    void abortDiscardsEverything() {
        a.write("/t/x", "a");
        final int tx = a.start();
        a.write(tx, "/t/x", "b");
        a.rm(tx, "/t");
        a.abort(tx);
        assertEquals("a", a.read("/t/x"));
    }

    @Test
    void aNodeReadInATransactionKeepsItsValueThereAndConflictsOnCommit() {
        // test-xenstore's "ta err".
        a.write("/t/x", "a");
        final int tx = a.start();
        assertEquals("a", a.read(tx, "/t/x"));
        b.write("/t/x", "b");
        assertEquals("a", a.read(tx, "/t/x"));
        a.write(tx, "/t/x", "c");
        assertEquals("c", a.read(tx, "/t/x"));
        assertEquals(EAGAIN, a.commitError(tx));
        assertEquals("b", a.read("/t/x"));
        // The transaction is gone after the failed commit.
        a.fails(ENOENT, XsWire.XS_READ, tx, "/t/x");
    }

    @Test
    void readModifyWriteWithoutInterferenceCommits() {
        a.write("/t/x", "a");
        for (int i = 0; i < 5; i++) {
            final int tx = a.start();
            final String v = a.read(tx, "/t/x");
            a.write(tx, "/t/x", v + "a");
            a.commit(tx);
        }
        assertEquals("aaaaaa", a.read("/t/x"));
    }

    @Test
    void creatingANodeThatAppearedMeanwhileConflicts() {
        a.mkdir("/t");
        final int tx = a.start();
        assertEquals(ENOENT, a.request(XsWire.XS_READ, tx, "/t/x").errorName());
        b.write("/t/x", "b");
        a.write(tx, "/t/x", "a");
        assertEquals(EAGAIN, a.commitError(tx));
        assertEquals("b", a.read("/t/x"));
    }

    @Test
    void untouchedNodesDoNotConflict() {
        a.write("/t/x", "a");
        a.write("/u/y", "a");
        final int tx = a.start();
        a.write(tx, "/t/x", "tx");
        b.write("/u/y", "b");
        a.commit(tx);
        assertEquals("tx", a.read("/t/x"));
    }

    @Test
    void anEmptyTransactionCommitsAndAborts() {
        a.commit(a.start());
        a.abort(a.start());
    }

    @Test
    void startInsideATransactionIsEbusyAndUnknownIdsAreEnoent() {
        final int tx = a.start();
        a.fails(EBUSY, XsWire.XS_TRANSACTION_START, tx, "");
        a.fails(ENOENT, XsWire.XS_READ, tx + 1000, "/tool");
        b.fails(ENOENT, XsWire.XS_READ, tx, "/tool");
        a.fails(ENOENT, XsWire.XS_TRANSACTION_END, 0, "T");
        a.fails(EINVAL, XsWire.XS_TRANSACTION_END, tx, "X");
        a.commit(tx);
    }

    @Test
    void idsAreNonZeroAndNotReusedWhileOpen() {
        final int t1 = a.start();
        final int t2 = a.start();
        assertNotEquals(0, t1);
        assertNotEquals(t1, t2);
        a.abort(t1);
        final int t3 = a.start();
        assertNotEquals(t2, t3);
    }

    @Test
    void watchesFireAtCommitNotBefore() {
        a.write("/t/x", "0");
        b.watch("/t", "tok");
        assertEquals(List.of("/t tok"), b.takeEvents());
        final int tx = a.start();
        a.write(tx, "/t/x", "1");
        a.rm(tx, "/t/x");
        a.write(tx, "/t/y", "2");
        assertTrue(b.takeEvents().isEmpty());
        a.commit(tx);
        assertEquals(List.of("/t/x tok", "/t/y tok"), b.takeEvents());
        final int aborted = a.start();
        a.write(aborted, "/t/z", "3");
        a.abort(aborted);
        assertTrue(b.takeEvents().isEmpty());
    }

    @Test
    void directoryInATransactionSeesItsOwnChildren() {
        a.mkdir("/t");
        final int tx = a.start();
        a.write(tx, "/t/one", "1");
        assertEquals(List.of("one"), a.dir(tx, "/t"));
        assertEquals(List.of(), b.dir("/t"));
        a.commit(tx);
    }

    @Test
    void watchAndUnwatchIgnoreTheTransactionId() {
        final int tx = a.start();
        a.ok(XsWire.XS_WATCH, tx, "/t", "w");
        a.ok(XsWire.XS_UNWATCH, tx + 99, "/t", "w");
        a.abort(tx);
    }
}
