package io.xen4j.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.JvmFlags;
import io.xen4j.blk.BlkBack;
import io.xen4j.blk.BlkBackConfig;
import io.xen4j.blk.BlkFront;
import io.xen4j.blk.BlkFrontConfig;
import io.xen4j.blk.BlockDevice;
import io.xen4j.blk.BlockIoException;
import io.xen4j.blk.DiskInfo;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * The first driver of the API overview, line for line: one frontend against one backend on the
 * simulated Xen host. dom0 serves a 1 MiB disk in memory with xen4j's blkback; a guest's blkfront
 * connects, writes a sector and reads it back. Each driver is an Agrona agent on a thread of its
 * own, as an application would run it.
 */
public final class FirstDriver {
    private FirstDriver() {
    }

    /**
     * Runs it.
     *
     * @param args unused
     * @throws BlockIoException if the disk I/O fails
     */
    public static void main(final String[] args) throws BlockIoException {
        JvmFlags.requireAgronaAccess();
        run(System.out);
    }

    static void run(final PrintStream out) throws BlockIoException {
        try (SimulatedXen xen = SimulatedXen.create();
             SimulatedXenstore xenstore = SimulatedXenstore.attach(xen)) {
            final SimulatedDomain guest = xen.createDomain("guest1");
            try (XenStoreClient dom0Store = XenStoreClient.connect(xenstore.connect(xen.dom0()));
                 XenStoreClient guestStore = XenStoreClient.connect(xenstore.connect(guest))) {
                // The toolstack's part: both xenbus directories of virtual disk 51712 (xvda).
                final DevicePaths device = new DevicePaths("vbd", guest.domid(), xen.dom0().domid(), 51712);
                new XenbusToolstack(dom0Store).createDevice(device, Map.of("virtual-device", "51712"), Map.of());
                // Closed in reverse: the agents stop, then the backend lets go of the guest's
                // grants before the frontend ends them.
                try (BlkFront front = new BlkFront(guest.host(), guestStore, device, BlkFrontConfig.defaults());
                     BlkBack back = new BlkBack(xen.dom0().host(), dom0Store, device, new MemoryBlockStore(1 << 20),
                         BlkBackConfig.full());
                     AgentRunner frontRunner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, front);
                     AgentRunner backRunner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, back)) {
                    back.start();
                    front.start();
                    AgentRunner.startOnThread(backRunner);
                    AgentRunner.startOnThread(frontRunner);
                    final DiskInfo info = BlockDevice.await(front.connected());
                    out.println("connected: " + info.sectors() + " sectors, " + info.ringPages() + " ring pages, "
                        + info.queues() + " queue(s), persistent grants " + info.persistentGrants());
                    final ByteBuf sector = Unpooled.buffer(512);
                    sector.writeCharSequence("hello, disk", StandardCharsets.US_ASCII);
                    sector.writeZero(512 - sector.readableBytes());
                    front.writeBlocking(4096, sector);
                    final ByteBuf readBack = Unpooled.buffer(512);
                    front.readBlocking(4096, 512, readBack);
                    out.println("read back: " + readBack.toString(0, 11, StandardCharsets.US_ASCII));
                }
            }
        }
    }
}
