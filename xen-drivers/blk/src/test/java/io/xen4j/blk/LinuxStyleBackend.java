package io.xen4j.blk;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.rings.BackRing;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import io.xen4j.xenbus.testing.GuestStores;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A hand-driven dom0 backend that behaves as Linux's {@code xen-blkback} does where persistent
 * grants are concerned (as seen live against Linux 6.1 and read in its source): it writes its
 * {@code feature-persistent} only when it goes Connected (or, like xen4j's blkback, at InitWait);
 * it uses persistent grants when the frontend's node says 1; on such a connection it maps every
 * grant read-write and keeps it mapped, indirect descriptor pages included (a read-only grant
 * fails that map, and the request is answered ERROR); it unmaps its ring and its persistent grants
 * only once the frontend is Closed, then goes Closed. It serves a byte-array disk; the frontend's
 * {@code doWork()} runs on the test's thread, in {@link #pump}.
 */
final class LinuxStyleBackend implements AutoCloseable {
    /** Linux's {@code xen_blkif_max_pgrants} default: persistent grants kept per ring. */
    static final int MAX_PERSISTENT = 1056;
    /** The bytes of an indirect page that hold descriptors: all of it. */
    private static final int PAGE_BYTES = BlkifRequestSegment.PER_INDIRECT_PAGE * BlkifRequestSegment.LENGTH;

    final SimulatedXen xen = SimulatedXen.create();
    final SimulatedDomain guest = xen.createDomain("guest");
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final DevicePaths device;
    final BlkFront front;
    final BlkifAbi abi;
    final byte[] disk;
    /** Whether both sides said 1: decided when the frontend's rings are mapped. */
    final boolean usePersistent;
    /** The persistent grants this backend keeps mapped, by reference. */
    final Map<Integer, MappedGrants> persistent = new HashMap<>();
    /** The indirect page references of each indirect request, in order of arrival. */
    final List<int[]> indirectRefs = new ArrayList<>();
    /** Indirect requests whose last page held something beyond their descriptors (stale descriptors). */
    int staleIndirectTails;
    /** The data page references of each read or write, in order of arrival. */
    final List<int[]> dataRefs = new ArrayList<>();
    /** Requests answered ERROR because a grant could not be mapped. */
    int mapFailures;
    private MappedGrants ringPage;
    private BackRing ring;
    private EventChannel channel;
    /** Whether the ring is mapped and served: from the frontend's Initialised to its Closed. */
    private boolean serving;
    private boolean disconnected;

    /**
     * Connects a frontend to this backend.
     *
     * @param config              the frontend's configuration
     * @param offerPersistent     the value of the backend's {@code feature-persistent}
     * @param persistentAtConnect write it only with Connected (Linux) rather than at InitWait
     * @param maxIndirect         {@code feature-max-indirect-segments}, 0 for none
     * @param diskBytes           the disk's size
     */
    LinuxStyleBackend(final BlkFrontConfig config, final boolean offerPersistent, final boolean persistentAtConnect,
                      final int maxIndirect, final int diskBytes) {
        this.abi = java.util.Objects.requireNonNull(BlkifAbi.ofProtocol(config.protocol()));
        this.disk = new byte[diskBytes];
        final int g = guest.domid();
        final GuestStores stores = GuestStores.connect(xenstore, g);
        dom0Store = stores.dom0();
        guestStore = stores.guest();
        device = new DevicePaths("vbd", g, 0, 51712);
        new XenbusToolstack(dom0Store).createDevice(device, Map.of(), Map.of());
        if (maxIndirect > 0) {
            dom0Store.write(device.backend("feature-max-indirect-segments"), Integer.toString(maxIndirect));
        }
        if (!persistentAtConnect) {
            dom0Store.write(device.backend("feature-persistent"), offerPersistent ? "1" : "0");
        }
        dom0Store.write(device.backend("state"), "2");
        front = new BlkFront(guest.host(), guestStore, device, config);
        front.start();
        pumpUntil(() -> "3".equals(readQuietly(device.frontend("state"))));
        // Linux's connect_ring: the frontend's feature-persistent, then the rings.
        usePersistent = offerPersistent && "1".equals(readQuietly(device.frontend("feature-persistent")));
        final int ref = Integer.parseUnsignedInt(dom0Store.read(device.frontend("ring-ref")));
        final int port = Integer.parseInt(dom0Store.read(device.frontend("event-channel")));
        ringPage = xen.dom0().host().grantTables().map(g, new int[] {ref}, true);
        ring = new BackRing("linux-style-back", abi.requestLength, abi.responseLength).init(ringPage.buffer());
        channel = xen.dom0().host().eventChannels().bindInterdomain(g, port, EventChannel::unmask);
        serving = true;
        // Linux's connect(): sectors, info, features, then Connected.
        dom0Store.write(device.backend("sectors"), Integer.toString(diskBytes / 512));
        dom0Store.write(device.backend("sector-size"), "512");
        dom0Store.write(device.backend("info"), "0");
        dom0Store.write(device.backend("feature-flush-cache"), "1");
        if (persistentAtConnect) {
            dom0Store.write(device.backend("feature-persistent"), offerPersistent ? "1" : "0");
        }
        dom0Store.write(device.backend("state"), "4");
        pumpUntil(front::isConnected);
    }

    private String readQuietly(final String path) {
        try {
            return dom0Store.read(path);
        } catch (final RuntimeException e) {
            return "";
        }
    }

    /** Runs the frontend and serves the ring until {@code done}, for at most 10 s. */
    void pumpUntil(final java.util.function.BooleanSupplier done) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out; frontend: " + front.brokenReason());
            }
            pump();
            Thread.onSpinWait();
        }
    }

    /** One turn of both sides. */
    void pump() {
        front.doWork();
        if (serving) {
            ring.pollRequests(this::serve, Integer.MAX_VALUE);
            if (ring.pushResponsesAndCheckNotify()) {
                channel.notifyPeer();
            }
        }
    }

    private void serve(final DirectBuffer req, final int index) {
        final int op = req.getByte(BlkifAbi.OPERATION_OFFSET) & 0xFF;
        final long id;
        int status = Blkif.BLKIF_RSP_OKAY;
        int answered = op;
        if (op == Blkif.BLKIF_OP_INDIRECT) {
            id = req.getLong(abi.indirectIdOffset, ByteOrder.LITTLE_ENDIAN);
            final int kind = req.getByte(BlkifAbi.BYTE1_OFFSET) & 0xFF;
            // Linux answers with the indirect operation (pending_req->operation).
            answered = kind;
            final int nseg = req.getShort(BlkifAbi.SHORT2_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int ipages = (nseg + BlkifRequestSegment.PER_INDIRECT_PAGE - 1) / BlkifRequestSegment.PER_INDIRECT_PAGE;
            final int[] irefs = new int[ipages];
            for (int i = 0; i < ipages; i++) {
                irefs[i] = req.getInt(abi.indirectGrefsOffset + i * Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
            }
            indirectRefs.add(irefs);
            final long sector = req.getLong(abi.indirectSectorOffset, ByteOrder.LITTLE_ENDIAN);
            final int[] segRefs = new int[nseg];
            final int[] first = new int[nseg];
            final int[] last = new int[nseg];
            for (int p = 0; p < ipages && status == Blkif.BLKIF_RSP_OKAY; p++) {
                final MappedGrants m = map(irefs[p], false);
                if (m == null) {
                    status = Blkif.BLKIF_RSP_ERROR;
                    break;
                }
                for (int s = p * BlkifRequestSegment.PER_INDIRECT_PAGE; s < Math.min(nseg, (p + 1) * BlkifRequestSegment.PER_INDIRECT_PAGE); s++) {
                    final int at = (s % BlkifRequestSegment.PER_INDIRECT_PAGE) * BlkifRequestSegment.LENGTH;
                    segRefs[s] = m.buffer().getInt(at + BlkifRequestSegment.GREF_OFFSET, ByteOrder.LITTLE_ENDIAN);
                    first[s] = m.buffer().getByte(at + BlkifRequestSegment.FIRST_SECT_OFFSET) & 0xFF;
                    last[s] = m.buffer().getByte(at + BlkifRequestSegment.LAST_SECT_OFFSET) & 0xFF;
                }
                if (p == ipages - 1) {
                    final int used = (nseg - p * BlkifRequestSegment.PER_INDIRECT_PAGE) * BlkifRequestSegment.LENGTH;
                    for (int at = used; at < PAGE_BYTES; at++) {
                        if (m.buffer().getByte(at) != 0) {
                            staleIndirectTails++;
                            break;
                        }
                    }
                }
                release(irefs[p], m);
            }
            if (status == Blkif.BLKIF_RSP_OKAY) {
                status = readWrite(kind, sector, segRefs, first, last);
            }
        } else if (op == Blkif.BLKIF_OP_READ || op == Blkif.BLKIF_OP_WRITE) {
            id = req.getLong(abi.idOffset, ByteOrder.LITTLE_ENDIAN);
            final int nseg = req.getByte(BlkifAbi.BYTE1_OFFSET) & 0xFF;
            final int[] segRefs = new int[nseg];
            final int[] first = new int[nseg];
            final int[] last = new int[nseg];
            for (int s = 0; s < nseg; s++) {
                final int at = abi.segOffset + s * BlkifRequestSegment.LENGTH;
                segRefs[s] = req.getInt(at + BlkifRequestSegment.GREF_OFFSET, ByteOrder.LITTLE_ENDIAN);
                first[s] = req.getByte(at + BlkifRequestSegment.FIRST_SECT_OFFSET) & 0xFF;
                last[s] = req.getByte(at + BlkifRequestSegment.LAST_SECT_OFFSET) & 0xFF;
            }
            status = readWrite(op, req.getLong(abi.sectorOffset, ByteOrder.LITTLE_ENDIAN), segRefs, first, last);
        } else {
            // A flush: the disk is memory.
            id = req.getLong(abi.idOffset, ByteOrder.LITTLE_ENDIAN);
        }
        final int slot = ring.claimResponse();
        final MutableDirectBuffer b = ring.buffer();
        b.putLong(slot + BlkifAbi.RSP_ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
        b.putByte(slot + BlkifAbi.RSP_OPERATION_OFFSET, (byte) answered);
        b.putShort(slot + BlkifAbi.RSP_STATUS_OFFSET, (short) status, ByteOrder.LITTLE_ENDIAN);
    }

    private int readWrite(final int kind, final long sector, final int[] refs, final int[] first, final int[] last) {
        dataRefs.add(refs.clone());
        long at = sector * 512;
        for (int s = 0; s < refs.length; s++) {
            final MappedGrants m = map(refs[s], kind == Blkif.BLKIF_OP_READ);
            if (m == null) {
                return Blkif.BLKIF_RSP_ERROR;
            }
            final int from = first[s] * 512;
            final int n = (last[s] - first[s] + 1) * 512;
            if (kind == Blkif.BLKIF_OP_READ) {
                m.buffer().putBytes(from, disk, (int) at, n);
            } else {
                m.buffer().getBytes(from, disk, (int) at, n);
            }
            at += n;
            release(refs[s], m);
        }
        return Blkif.BLKIF_RSP_OKAY;
    }

    /**
     * Linux's {@code xen_blkbk_map}: a persistent grant already mapped is used as it is; else
     * the grant is mapped, read-write on a persistent connection whatever the request, and kept
     * while fewer than {@link #MAX_PERSISTENT} are.
     */
    private @Nullable MappedGrants map(final int ref, final boolean backendWrites) {
        final MappedGrants kept = persistent.get(ref);
        if (kept != null) {
            return kept;
        }
        try {
            final MappedGrants m = xen.dom0().host().grantTables().map(guest.domid(), ref, usePersistent || backendWrites);
            if (usePersistent && persistent.size() < MAX_PERSISTENT) {
                persistent.put(ref, m);
            }
            return m;
        } catch (final RuntimeException e) {
            mapFailures++;
            return null;
        }
    }

    private void release(final int ref, final MappedGrants m) {
        // A kept grant is in the map under its reference; any other mapping is this request's only.
        if (!persistent.containsKey(ref)) {
            m.close();
        }
    }

    /**
     * Detaches as {@code xl block-detach} and Linux's blkback do: the toolstack writes Closing
     * to the backend; the frontend follows to Closed; only then does the backend unmap its
     * persistent grants and its ring, and go Closed.
     *
     * @return how many shares the frontend had set aside, still mapped, when it reached Closed
     */
    int detach() {
        new XenbusToolstack(dom0Store).requestClose(device);
        pumpUntil(() -> "6".equals(readQuietly(device.frontend("state"))));
        final int setAside = front.leakedGrants();
        disconnected = true;
        serving = false;
        persistent.values().forEach(MappedGrants::close);
        persistent.clear();
        channel.close();
        ringPage.close();
        dom0Store.write(device.backend("state"), "6");
        // The frontend sees Closed (a watch event) and ends what it had set aside.
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (front.leakedGrants() > 0 && System.nanoTime() < deadline) {
            front.doWork();
            Thread.onSpinWait();
        }
        return setAside;
    }

    @Override
    public void close() {
        if (!disconnected) {
            persistent.values().forEach(MappedGrants::close);
            channel.close();
            ringPage.close();
        }
        front.close();
        guestStore.close();
        dom0Store.close();
        xen.close();
    }
}
