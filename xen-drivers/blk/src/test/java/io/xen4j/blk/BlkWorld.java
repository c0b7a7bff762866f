package io.xen4j.blk;

import io.xen4j.blk.spi.BlockStore;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import io.xen4j.xenbus.testing.GuestStores;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;

/**
 * One simulated host with dom0 serving a disk to a guest: xenstored in memory, the toolstack's
 * device nodes, blkback and blkfront, both agents on one thread.
 */
final class BlkWorld implements AutoCloseable {
    final SimulatedXen xen;
    final SimulatedDomain guest;
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final DevicePaths device;
    BlkBack back;
    final BlkFront front;
    private AgentRunner runner;
    private final BlockStore disk;
    private final BlkBackConfig backConfig;

    BlkWorld(final BlockStore disk, final BlkBackConfig backConfig, final BlkFrontConfig frontConfig) {
        this(SimulatedXen.create(), disk, backConfig, frontConfig);
    }

    BlkWorld(final SimulatedXen xen, final BlockStore disk, final BlkBackConfig backConfig, final BlkFrontConfig frontConfig) {
        this(xen, disk, backConfig, frontConfig, Map.of("virtual-device", "51712", "device-type", "disk"),
            Map.of("params", "test", "type", "phy"));
    }

    /** A world whose toolstack writes the given frontend and backend nodes (device-type, removable, mode...). */
    BlkWorld(final SimulatedXen xen, final BlockStore disk, final BlkBackConfig backConfig, final BlkFrontConfig frontConfig,
             final Map<String, String> frontNodes, final Map<String, String> backNodes) {
        this.xen = xen;
        this.guest = xen.createDomain("guest");
        this.disk = disk;
        this.backConfig = backConfig;
        final int g = guest.domid();
        final GuestStores stores = GuestStores.connect(xenstore, g);
        dom0Store = stores.dom0();
        guestStore = stores.guest();
        device = new DevicePaths("vbd", g, 0, 51712);
        new XenbusToolstack(dom0Store).createDevice(device, frontNodes, backNodes);
        back = new BlkBack(xen.dom0().host(), dom0Store, device, disk, backConfig);
        front = new BlkFront(guest.host(), guestStore, device, frontConfig);
        back.start();
        front.start();
        runner = startRunner();
    }

    private AgentRunner startRunner() {
        final AgentRunner r = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 200_000),
            Throwable::printStackTrace, null, new CompositeAgent(front, back));
        AgentRunner.startOnThread(r);
        return r;
    }

    /** Stops the agents (for tests that drive doWork by hand or replace the backend). */
    void stopAgents() {
        runner.close();
    }

    /** Crashes the backend without a word in xenstore and starts a new one on the same disk. */
    void restartBackend() {
        runner.close();
        replaceBackend();
        runner = startRunner();
    }

    /** Crashes the backend and starts a new one on the same disk, for a test that drives the agents by hand. */
    void replaceBackend() {
        back.crash();
        back = new BlkBack(xen.dom0().host(), dom0Store, device, disk, backConfig);
        back.start();
    }

    DiskInfo awaitConnected() throws Exception {
        return front.connected().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        runner.close();
        // The backend first: it unmaps the persistent grants, so the frontend can end them.
        back.close();
        front.close();
        guestStore.close();
        dom0Store.close();
        xen.close();
    }
}
