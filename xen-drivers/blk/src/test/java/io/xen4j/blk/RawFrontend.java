package io.xen4j.blk;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.rings.FrontRing;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import io.xen4j.xenbus.testing.GuestStores;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.MutableDirectBuffer;

/**
 * A hand-driven guest that speaks blkif to a real {@link BlkBack} without any of blkfront's
 * checks: it writes whatever request bytes and indices a test gives it. The backend's
 * {@code doWork()} is called by hand, so every step is deterministic.
 */
final class RawFrontend implements AutoCloseable {
    /** One response as the guest saw it. */
    record Response(long id, int operation, int status) {
    }

    final SimulatedXen xen = SimulatedXen.create();
    final SimulatedDomain guest = xen.createDomain("guest");
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final DevicePaths device;
    final BlkBack back;
    final MemoryBlockStore disk;
    final BlkifAbi abi;
    final FrontRing ring;
    final SharedPages ringPage;
    final SharedPages data;
    final EventChannel channel;

    RawFrontend(final BlkifAbi abi, final MemoryBlockStore disk, final BlkBackConfig config) {
        this(abi, disk, config, false);
    }

    RawFrontend(final BlkifAbi abi, final MemoryBlockStore disk, final BlkBackConfig config, final boolean persistent) {
        this(abi, disk, config, persistent, Map.of(), true);
    }

    RawFrontend(final BlkifAbi abi, final MemoryBlockStore disk, final BlkBackConfig config, final boolean persistent,
                final Map<String, String> extraNodes, final boolean mustConnect) {
        this.abi = abi;
        this.disk = disk;
        final int g = guest.domid();
        final GuestStores stores = GuestStores.connect(xenstore, g);
        dom0Store = stores.dom0();
        guestStore = stores.guest();
        device = new DevicePaths("vbd", g, 0, 51712);
        new XenbusToolstack(dom0Store).createDevice(device, Map.of(), Map.of());
        back = new BlkBack(xen.dom0().host(), dom0Store, device, disk, config);
        back.start();
        ringPage = guest.host().grantTables().share(0, 1, true);
        ringPage.buffer().setMemory(0, 4096, (byte) 0);
        ring = new FrontRing("raw", abi.requestLength, abi.responseLength).init(ringPage.buffer());
        data = guest.host().grantTables().share(0, 16, true);
        channel = guest.host().eventChannels().allocateUnbound(0, EventChannel::unmask);
        guestStore.write(device.frontend("ring-ref"), Integer.toString(ringPage.grantRef(0)));
        guestStore.write(device.frontend("event-channel"), Integer.toString(channel.localPort()));
        guestStore.write(device.frontend("protocol"), abi.protocol());
        guestStore.write(device.frontend("feature-persistent"), persistent ? "1" : "0");
        extraNodes.forEach((k, v) -> guestStore.write(device.frontend(k), v));
        guestStore.write(device.frontend("state"), "3");
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!back.isConnected() && back.brokenReason() == null && System.nanoTime() < deadline) {
            back.doWork();
            Thread.onSpinWait();
        }
        if (mustConnect && !back.isConnected()) {
            throw new IllegalStateException("backend did not connect: " + back.brokenReason());
        }
    }

    /** Grant reference of data page {@code i} (0..15). */
    int gref(final int i) {
        return data.grantRef(i);
    }

    /** Writes a read/write request in this layout. */
    void putRw(final MutableDirectBuffer b, final int at, final int op, final int nseg, final long id, final long sector,
               final int[] grefs, final int[] first, final int[] last) {
        b.putByte(at, (byte) op);
        b.putByte(at + 1, (byte) nseg);
        b.putShort(at + 2, (short) 0, ByteOrder.LITTLE_ENDIAN);
        b.putLong(at + abi.idOffset, id, ByteOrder.LITTLE_ENDIAN);
        b.putLong(at + abi.sectorOffset, sector, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < Math.min(grefs.length, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST); i++) {
            final int s = at + abi.segOffset + i * BlkifRequestSegment.LENGTH;
            b.putInt(s, grefs[i], ByteOrder.LITTLE_ENDIAN);
            b.putByte(s + 4, (byte) first[i]);
            b.putByte(s + 5, (byte) last[i]);
        }
    }

    /** Sends a read or write of one segment. */
    List<Response> rw(final int op, final int nseg, final long id, final long sector, final int gref, final int first, final int last) {
        final int slot = claim();
        final int n = Math.max(1, Math.min(nseg, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST));
        final int[] grefs = new int[n];
        final int[] f = new int[n];
        final int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            grefs[i] = i == 0 ? gref : gref(i);
            f[i] = first;
            l[i] = last;
        }
        putRw(ring.buffer(), slot, op, nseg, id, sector, grefs, f, l);
        return push();
    }

    /** Sends a discard. */
    List<Response> discard(final long id, final int flag, final long sector, final long sectors) {
        final int slot = claim();
        final MutableDirectBuffer b = ring.buffer();
        b.putByte(slot, (byte) Blkif.BLKIF_OP_DISCARD);
        b.putByte(slot + 1, (byte) flag);
        b.putLong(slot + abi.idOffset, id, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.sectorOffset, sector, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.discardNrSectorsOffset, sectors, ByteOrder.LITTLE_ENDIAN);
        return push();
    }

    private int claim() {
        final int slot = ring.claimRequest();
        if (slot == FrontRing.NO_SLOT) {
            throw new IllegalStateException("test guest: its ring is full or broken: " + ring.brokenReason());
        }
        return slot;
    }

    /** Sends raw slot bytes. */
    List<Response> raw(final byte[] slotBytes) {
        final int slot = claim();
        ring.buffer().putBytes(slot, slotBytes, 0, Math.min(slotBytes.length, abi.requestLength));
        return push();
    }

    /** Sends an indirect request whose segment list is {@code segments} (written into data page 15). */
    List<Response> indirect(final int op, final int nseg, final long id, final long sector, final int indirectGref, final byte[] segments) {
        data.buffer().putBytes(15 * 4096, segments, 0, Math.min(segments.length, 4096));
        final int slot = claim();
        final MutableDirectBuffer b = ring.buffer();
        b.putByte(slot, (byte) Blkif.BLKIF_OP_INDIRECT);
        b.putByte(slot + 1, (byte) op);
        b.putShort(slot + 2, (short) nseg, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.indirectIdOffset, id, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.indirectSectorOffset, sector, ByteOrder.LITTLE_ENDIAN);
        b.putInt(slot + abi.indirectGrefsOffset, indirectGref, ByteOrder.LITTLE_ENDIAN);
        return push();
    }

    /** Pushes, runs the backend, collects the responses. */
    List<Response> push() {
        ring.pushRequests();
        return drain();
    }

    /** Runs the backend a few times and collects the responses. */
    List<Response> drain() {
        for (int i = 0; i < 4; i++) {
            back.doWork();
        }
        final List<Response> out = new ArrayList<>();
        ring.pollResponses((copy, index) -> out.add(new Response(copy.getLong(0, ByteOrder.LITTLE_ENDIAN),
            copy.getByte(8) & 0xFF, copy.getShort(10, ByteOrder.LITTLE_ENDIAN))), Integer.MAX_VALUE);
        return out;
    }

    /** Writes a hostile {@code req_prod} straight into the shared page. */
    void hostileReqProd(final int value) {
        ringPage.buffer().putIntVolatile(SringHeader.REQ_PROD_OFFSET, value);
    }

    @Override
    public void close() {
        back.close();
        guestStore.close();
        dom0Store.close();
        xen.close();
    }
}
