package io.xen4j.hal.linux;

import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreClientContract;
import io.xen4j.store.transport.UnixSocketTransport;
import java.nio.file.Path;

/**
 * The xenstore client's contract inside dom0 against the real xenstored that dom0's init started
 * (the one Debian's init script starts, oxenstored, unless {@code run.sh --xenstored c}; the
 * harness's summary names it), over its Unix socket {@code /run/xenstored/socket}, as the C tools
 * connect.
 *
 * <p>No unprivileged connection exists here: every socket connection is dom0's, and a guest's
 * only connection is its own kernel's ring, so the two permission cases skip (the in-memory
 * xenstored runs them in benchmarks). Domain management with made-up domains is not sent to the
 * one xenstored the host's domains depend on.
 */
@LiveXen
final class LiveXenstoreSocketContractTest extends XenStoreClientContract {
    /** Where xenstored listens in dom0 (Xen 4.17: {@code $XENSTORED_RUNDIR/socket}). */
    static final Path SOCKET = Path.of("/run/xenstored/socket");

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        return XenStoreClient.connect(UnixSocketTransport.connect(SOCKET), OPTIONS);
    }

    @Override
    protected boolean splitsLargeDirectories() {
        return !runsOxenstored();
    }

    /**
     * Whether dom0's xenstored is oxenstored, from its pid file and {@code /proc}.
     *
     * @return true for oxenstored
     */
    static boolean runsOxenstored() {
        try {
            final String pid = java.nio.file.Files.readString(Path.of("/run/xenstored.pid")).trim();
            return java.nio.file.Files.readSymbolicLink(Path.of("/proc", pid, "exe")).toString().endsWith("oxenstored");
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot tell which xenstored runs in dom0", e);
        }
    }

    /**
     * Fewer rounds than on a native host: dom0 runs under QEMU's TCG on one vCPU, where thread
     * switches are slow, and on a loaded host the default 800 requests once ran past the case's
     * 60 s (the runner's report gives each case's time); the interleavings are the same.
     */
    @Override
    protected int concurrentRounds() {
        return 15;
    }
}
