package io.xen4j.benchmarks.blk;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.blkif.BlkifResponse;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.blk.spi.BlockStore;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The least a blkif round trip costs in Java on one thread: the floor under blkfront -> simulated
 * host -> blkback for a 4 KiB read into a persistently granted page at depth 1. Not a driver: no
 * xenbus, no event channels, no grant table, one page, one request at a time, everything in flat
 * fields and arrays. It keeps every step the protocol and the hostile-peer rules ask of the real
 * pair on this path, and the same store call:
 *
 * <ul>
 *   <li>the frontend claims a slot of a one-page ring, sets all its bytes (R7: the slot cleared,
 *       then the header and one segment), and pushes with {@code xen_wmb}, the index and
 *       {@code xen_mb} before reading {@code req_event} (a volatile store and load);</li>
 *   <li>the backend reads {@code req_prod} once and checks it against the ring's size, reads each
 *       field of the request once, checks the operation, segment count, sectors in the page and the
 *       range on the disk, looks the grant reference up in its persistent grants (an array), reads
 *       from the store into the page, writes the whole response and pushes it likewise;</li>
 *   <li>the frontend reads {@code rsp_prod} once, checks it, checks that the id is outstanding and
 *       the operation and status are what they may be, and completes the read.</li>
 * </ul>
 *
 * <p>{@link BlkBenchmark}'s {@code floorRead4kRandom} row runs it on the benchmark's file store, so
 * that {@code BlkCpuRatio} shows, beside the drivers' row, how much of their cost the protocol
 * itself needs. The ring is an {@link UnsafeBuffer} with Agrona's bounds checks, as the drivers'
 * plain ring buffers are.
 */
final class BlkifFloor {
    private static final int PAGE = 4096;
    /** A one-page blkif ring: 32 slots of 112 bytes after the 64-byte header. */
    private static final int SLOTS = 32;
    private static final int HANDLE = 0x1234;
    /** The grant reference the frontend gave its page; any other is not a persistent grant. */
    private static final int GREF = 8;

    private final BlockStore store;
    private final long diskSectors;
    private final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(PAGE));
    /** The frontend's granted page, mapped by the backend as a persistent grant. */
    private final ByteBuffer page = ByteBuffer.allocateDirect(PAGE);
    /** {@link #page} as a segment, made once: the store call blkback makes for a mapped page. */
    private final MemorySegment pageMemory = MemorySegment.ofBuffer(page);
    /** The backend's persistent grants: the page index of each grant reference, -1 for none. */
    private final int[] pageOfGrant = new int[64];
    /** The frontend's outstanding requests: the sector of each id, -1 when free. */
    private final long[] outstanding = new long[SLOTS];
    private int reqProdPvt;
    private int rspCons;
    private int reqCons;
    private int rspProdPvt;
    private boolean completed;

    /**
     * A ring whose backend reads from {@code store}.
     *
     * @param store the store, 512-byte sectors
     */
    BlkifFloor(final BlockStore store) {
        this.store = store;
        this.diskSectors = store.sizeBytes() / Blkif.SECTOR_SIZE;
        java.util.Arrays.fill(pageOfGrant, -1);
        pageOfGrant[GREF] = 0;
        java.util.Arrays.fill(outstanding, -1);
        ring.putIntRelease(SringHeader.REQ_EVENT_OFFSET, SringHeader.INITIAL_EVENT);
        ring.putIntRelease(SringHeader.RSP_EVENT_OFFSET, SringHeader.INITIAL_EVENT);
    }

    /**
     * Reads 4 KiB at {@code position} into the page through the whole round trip.
     *
     * @param position byte offset, a multiple of 4096
     * @return the page, its 4 KiB read
     * @throws IOException if the store fails or a side breaks a rule
     */
    ByteBuffer read(final long position) throws IOException {
        completed = false;
        submit(position / Blkif.SECTOR_SIZE);
        serve();
        poll();
        if (!completed) {
            throw new IOException("blkif floor: no response");
        }
        return page;
    }

    private void submit(final long sector) {
        final int id = reqProdPvt & (SLOTS - 1);
        if (outstanding[id] != -1) {
            throw new IllegalStateException("blkif floor: id " + id + " still outstanding");
        }
        outstanding[id] = sector;
        final int slot = slotOffset(reqProdPvt);
        ring.setMemory(slot, BlkifRequest.LENGTH, (byte) 0);
        ring.putInt(slot + BlkifRequest.OPERATION_OFFSET,
            Blkif.BLKIF_OP_READ | 1 << 8 * BlkifRequest.NR_SEGMENTS_OFFSET | HANDLE << 8 * BlkifRequest.HANDLE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        ring.putLong(slot + BlkifRequest.ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
        ring.putLong(slot + BlkifRequest.SECTOR_NUMBER_OFFSET, sector, ByteOrder.LITTLE_ENDIAN);
        ring.putLong(slot + BlkifRequest.SEG_OFFSET, GREF | (long) Blkif.MAX_SECTOR_IN_PAGE << 8 * BlkifRequestSegment.LAST_SECT_OFFSET,
            ByteOrder.LITTLE_ENDIAN);
        final int old = reqProdPvt++;
        // xen_wmb(); req_prod = new; xen_mb(); then req_event.
        ring.putIntVolatile(SringHeader.REQ_PROD_OFFSET, reqProdPvt);
        final int event = ring.getIntVolatile(SringHeader.REQ_EVENT_OFFSET);
        notified(reqProdPvt, old, event);
    }

    private void serve() throws IOException {
        // The index last published, from this side's own copy (as the drivers' rings keep it).
        final int old = rspProdPvt;
        final int prod = ring.getIntAcquire(SringHeader.REQ_PROD_OFFSET);
        if (Integer.compareUnsigned(prod - reqCons, SLOTS) > 0) {
            throw new IOException("blkif floor: req_prod " + prod + " is more than a ring ahead of req_cons " + reqCons);
        }
        while (reqCons != prod) {
            final int slot = slotOffset(reqCons++);
            final int header = ring.getInt(slot + BlkifRequest.OPERATION_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final long id = ring.getLong(slot + BlkifRequest.ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final long sector = ring.getLong(slot + BlkifRequest.SECTOR_NUMBER_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final long segment = ring.getLong(slot + BlkifRequest.SEG_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int operation = header & 0xFF;
            final int first = (int) (segment >>> 8 * BlkifRequestSegment.FIRST_SECT_OFFSET) & 0xFF;
            final int last = (int) (segment >>> 8 * BlkifRequestSegment.LAST_SECT_OFFSET) & 0xFF;
            final long sectors = last - first + 1;
            final int gref = (int) segment;
            final int pageIndex = gref >= 0 && gref < pageOfGrant.length ? pageOfGrant[gref] : -1;
            int status = Blkif.BLKIF_RSP_OKAY;
            if (operation != Blkif.BLKIF_OP_READ || (header >>> 8 & 0xFF) != 1 || first > last || last > Blkif.MAX_SECTOR_IN_PAGE
                || Long.compareUnsigned(sector, diskSectors) > 0 || Long.compareUnsigned(sectors, diskSectors - sector) > 0 || pageIndex != 0) {
                status = Blkif.BLKIF_RSP_ERROR;
            } else {
                store.read(sector * Blkif.SECTOR_SIZE, pageMemory, first * Blkif.SECTOR_SIZE, sectors * Blkif.SECTOR_SIZE);
            }
            final int response = slotOffset(rspProdPvt++);
            // The whole response: id, then operation, padding, status and padding in one store.
            ring.putLong(response + BlkifResponse.ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
            ring.putLong(response + BlkifResponse.OPERATION_OFFSET,
                operation | (long) (status & 0xFFFF) << 8 * (BlkifResponse.STATUS_OFFSET - BlkifResponse.OPERATION_OFFSET), ByteOrder.LITTLE_ENDIAN);
        }
        ring.putIntVolatile(SringHeader.RSP_PROD_OFFSET, rspProdPvt);
        final int event = ring.getIntVolatile(SringHeader.RSP_EVENT_OFFSET);
        notified(rspProdPvt, old, event);
    }

    private void poll() throws IOException {
        final int prod = ring.getIntAcquire(SringHeader.RSP_PROD_OFFSET);
        if (Integer.compareUnsigned(prod - rspCons, reqProdPvt - rspCons) > 0) {
            throw new IOException("blkif floor: rsp_prod " + prod + " answers more than was asked");
        }
        while (rspCons != prod) {
            final int slot = slotOffset(rspCons++);
            final long id = ring.getLong(slot + BlkifResponse.ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final long rest = ring.getLong(slot + BlkifResponse.OPERATION_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (id < 0 || id >= SLOTS || outstanding[(int) id] == -1) {
                throw new IOException("blkif floor: response id " + id + " is not outstanding");
            }
            if ((rest & 0xFF) != Blkif.BLKIF_OP_READ) {
                throw new IOException("blkif floor: response id " + id + " has operation " + (rest & 0xFF));
            }
            outstanding[(int) id] = -1;
            final short status = (short) (rest >>> 8 * (BlkifResponse.STATUS_OFFSET - BlkifResponse.OPERATION_OFFSET));
            if (status != Blkif.BLKIF_RSP_OKAY) {
                throw new IOException("blkif floor: response id " + id + " has status " + status);
            }
            completed = true;
        }
    }

    private static int slotOffset(final int index) {
        return SringHeader.RING_OFFSET + (index & (SLOTS - 1)) * BlkifRequest.LENGTH;
    }

    /** {@code RING_PUSH_*_AND_CHECK_NOTIFY}'s test; nobody waits here, so the answer is dropped. */
    private static boolean notified(final int newProd, final int oldProd, final int event) {
        return Integer.compareUnsigned(newProd - event, newProd - oldProd) < 0;
    }
}
