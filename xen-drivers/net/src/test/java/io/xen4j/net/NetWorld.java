package io.xen4j.net;

import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.net.spi.MemorySwitch;
import io.xen4j.net.spi.PacketPort;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.jspecify.annotations.Nullable;

/**
 * One simulated host with dom0 running a netback per guest interface, the backends' ports on an
 * in-memory switch (or given ports), xenstored in memory, all agents on one thread.
 */
final class NetWorld implements AutoCloseable {
    final SimulatedXen xen;
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final MemorySwitch sw = new MemorySwitch();
    final List<Nic> nics = new ArrayList<>();
    private final List<XenStoreClient> stores = new ArrayList<>();
    private @Nullable AgentRunner runner;

    /** One guest interface: its frontend, its backend and the paths. */
    static final class Nic {
        final SimulatedDomain guest;
        final XenStoreClient guestStore;
        final DevicePaths device;
        final PacketPort port;
        final NetBackConfig backConfig;
        NetBack back;
        final NetFront front;

        Nic(final SimulatedDomain guest, final XenStoreClient guestStore, final DevicePaths device, final PacketPort port,
            final NetBackConfig backConfig, final NetBack back, final NetFront front) {
            this.guest = guest;
            this.guestStore = guestStore;
            this.device = device;
            this.port = port;
            this.backConfig = backConfig;
            this.back = back;
            this.front = front;
        }

        NetInfo awaitConnected() throws Exception {
            return front.connected().get(20, TimeUnit.SECONDS);
        }
    }

    NetWorld(final SimulatedXen xen) {
        this.xen = xen;
        xenstore.run(core -> core.createDomainHome(0, "Domain-0"));
        dom0Store = XenStoreClient.connect(InProcessTransport.connect(xenstore, 0));
        runner = null;
    }

    NetWorld() {
        this(SimulatedXen.create());
    }

    SimulatedDomain guest(final String name) {
        final SimulatedDomain g = xen.createDomain(name);
        xenstore.run(core -> {
            core.introduceDomain(g.domid());
            core.createDomainHome(g.domid(), name);
        });
        return g;
    }

    /** Adds an interface to a guest (a new guest when {@code guest} is null) on a switch port. */
    Nic add(final SimulatedDomain guest, final int devid, final long mac, final NetBackConfig bc, final NetFrontConfig fc,
            final FrameHandler handler) {
        return add(guest, devid, mac, sw.port("vif" + guest.domid() + "." + devid), bc, fc, handler);
    }

    Nic add(final SimulatedDomain guest, final int devid, final long mac, final PacketPort port, final NetBackConfig bc,
            final NetFrontConfig fc, final FrameHandler handler) {
        return add(new DevicePaths("vif", guest.domid(), 0, devid), guest, mac, port, bc, fc, handler);
    }

    /** Adds an interface whose paths are given (a backend directory of another kind, such as {@link NetBack#USERSPACE_KIND}). */
    Nic add(final DevicePaths device, final SimulatedDomain guest, final long mac, final PacketPort port, final NetBackConfig bc,
            final NetFrontConfig fc, final FrameHandler handler) {
        final int devid = device.devid();
        final XenStoreClient gs = XenStoreClient.connect(InProcessTransport.connect(xenstore, guest.domid()));
        stores.add(gs);
        new XenbusToolstack(dom0Store).createDevice(device, Map.of("mac", Macs.format(mac), "handle", Integer.toString(devid)),
            Map.of("mac", Macs.format(mac), "handle", Integer.toString(devid)));
        final NetBack back = new NetBack(xen.dom0().host(), dom0Store, device, port, bc);
        final NetFront front = new NetFront(guest.host(), gs, device, fc, handler);
        back.start();
        front.start();
        final Nic n = new Nic(guest, gs, device, port, bc, back, front);
        nics.add(n);
        return n;
    }

    /** Starts one thread running every agent (and {@code extra} ones). */
    void start(final Agent... extra) {
        final List<Agent> agents = new ArrayList<>();
        for (final Nic n : nics) {
            agents.add(n.front);
            agents.add(new BackAgent(n));
        }
        agents.addAll(List.of(extra));
        runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 100_000), Throwable::printStackTrace, null,
            new CompositeAgent(agents));
        AgentRunner.startOnThread(runner);
    }

    void stop() {
        final AgentRunner r = runner;
        if (r != null) {
            r.close();
            runner = null;
        }
    }

    /** Crashes a backend and starts a new one on the same port, with the agents stopped meanwhile. */
    void restartBackend(final Nic n) {
        stop();
        n.back.crash();
        n.back = new NetBack(xen.dom0().host(), dom0Store, n.device, n.port, n.backConfig);
        n.back.start();
        start();
    }

    @Override
    public void close() {
        stop();
        for (final Nic n : nics) {
            n.front.close();
            n.back.close();
        }
        stores.forEach(XenStoreClient::close);
        dom0Store.close();
        xen.close();
    }

    /** Runs whichever backend the nic has now (it changes on restart). */
    private record BackAgent(Nic nic) implements Agent {
        @Override
        public int doWork() {
            return nic.back.doWork();
        }

        @Override
        public String roleName() {
            return "back-" + nic.device.name();
        }
    }
}
