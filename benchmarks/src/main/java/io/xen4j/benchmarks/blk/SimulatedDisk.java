package io.xen4j.benchmarks.blk;

import io.xen4j.benchmarks.SimulatedGuest;
import io.xen4j.blk.BlkBack;
import io.xen4j.blk.BlkBackConfig;
import io.xen4j.blk.BlkFront;
import io.xen4j.blk.BlkFrontConfig;
import io.xen4j.blk.spi.BlockStore;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CompositeAgent;

/**
 * A guest with one disk on a simulated host of its own, for the block benchmarks: an in-memory
 * xenstore, dom0's and the guest's clients, the device's nodes as a toolstack writes them, blkback
 * serving a store with every feature on and blkfront with the given configuration, both started
 * (the handshake runs when their agents do). Closing it closes both drivers, the clients and the
 * host, not the store.
 */
final class SimulatedDisk implements AutoCloseable {
    final SimulatedGuest sim;
    final BlkBack back;
    final BlkFront front;

    SimulatedDisk(final BlockStore store, final BlkFrontConfig config) {
        sim = new SimulatedGuest();
        final DevicePaths device = new DevicePaths("vbd", sim.guest.domid(), 0, 51712);
        new XenbusToolstack(sim.dom0).createDevice(device, Map.of(), Map.of());
        back = new BlkBack(sim.xen.dom0().host(), sim.dom0, device, store, BlkBackConfig.full());
        front = new BlkFront(sim.guest.host(), sim.domU, device, config);
        back.start();
        front.start();
    }

    /**
     * Both agents in one invoker, for the calling thread to drive (blkfront's turn first), driven
     * here until the device is connected.
     *
     * @return the started invoker; the caller closes it
     * @throws Exception if the handshake fails or takes more than 30 s
     */
    AgentInvoker connectedInvoker() throws Exception {
        final AgentInvoker invoker = new AgentInvoker(Throwable::printStackTrace, null, new CompositeAgent(front, back));
        invoker.start();
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!front.connected().isDone() && System.nanoTime() < deadline) {
                invoker.invoke();
            }
            front.connected().get(1, TimeUnit.SECONDS);
            return invoker;
        } catch (final Exception e) {
            invoker.close();
            throw e;
        }
    }

    /**
     * One turn of each agent, blkfront's first: the turns of {@link #connectedInvoker()}'s
     * invoker without Agrona's dispatch around them (its {@code AgentInvoker} and
     * {@code CompositeAgent} cost about 20 ns per request more, see README-blk). The drivers catch
     * what their turns throw themselves (R10).
     *
     * @return the work both did
     */
    int turn() {
        return front.doWork() + back.doWork();
    }

    @Override
    public void close() {
        back.close();
        front.close();
        sim.close();
    }
}
