package io.xen4j.hal.linux;

import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreClientContract;
import io.xen4j.store.transport.XenbusDeviceTransport;

/**
 * The xenstore client's contract inside dom0 over {@code /dev/xen/xenbus}: dom0's kernel relays
 * every message over its own xenstore ring to the real xenstored and
 * gives the replies and watch events back to this file.
 *
 * <p>That ring is the one connection of dom0's kernel, shared by its own xenbus drivers (the
 * backends' watches on {@code backend/}) and every process with the device open; the kernel
 * passes {@code XS_RESET_WATCHES} through, and xenstored would then drop the kernel's watches
 * too, so the reset case does not run here (it runs over the socket, whose connection is the
 * test's own). Permission and domain-management cases skip for the reasons of
 * {@link LiveXenstoreSocketContractTest}.
 */
@LiveXen
final class LiveXenbusDeviceContractTest extends XenStoreClientContract {
    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        // One request at a time, as libxenstore sends them: with several in flight through the
        // device, replies came back matched to the wrong requests (dom0 kernel 6.1, oxenstored).
        return XenStoreClient.connect(XenbusDeviceTransport.open(XenbusDeviceTransport.DEFAULT_DEVICE),
            OPTIONS.withMaxInFlight(1));
    }

    @Override
    protected boolean splitsLargeDirectories() {
        return !LiveXenstoreSocketContractTest.runsOxenstored();
    }

    @Override
    protected boolean ownsItsConnection() {
        return false;
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
