package io.xen4j.hal.linux.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.xen4j.abi.Xen;
import io.xen4j.abi.grant.GnttabGetVersion;
import io.xen4j.abi.grant.GnttabQuerySize;
import io.xen4j.abi.grant.GnttabSetupTable;
import io.xen4j.abi.grant.GrantEntryV1;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * This domain's own grant table (v1), mapped into the process: what lets the Linux HAL end a
 * grant's access the way the kernel's {@code gnttab_end_foreign_access_ref} does, which
 * {@code /dev/xen/gntalloc} offers no ioctl for.
 *
 * <p>The frames come from {@code GNTTABOP_setup_table} (no growth: at most the current size) and
 * are mapped through privcmd as frames of {@code DOMID_SELF}, which a PV kernel allows. Entries
 * are read and changed only with 32-bit atomics on the word that holds {@code flags} and
 * {@code domid} (Java has no 16-bit compare-and-set; the hypervisor updates the same word).
 */
public final class OwnGrantTable {
    private static final int ENTRIES_PER_FRAME = GrantEntryV1.PER_PAGE;

    private final HostCore host;
    private final List<LinuxForeignMapping> frames = new ArrayList<>();
    private @Nullable String unsupported;
    private boolean checked;

    /**
     * Creates the view; nothing is mapped until used.
     *
     * @param host the host, whose privcmd is used
     */
    public OwnGrantTable(final HostCore host) {
        this.host = host;
        host.onClose(this::close);
    }

    /** Unmaps the frames. */
    synchronized void close() {
        for (final LinuxForeignMapping m : frames) {
            m.closeQuietly();
        }
        frames.clear();
    }

    private void check(final String operation) {
        if (!checked) {
            checked = true;
            if (host.facts().guestType() != GuestType.PV) {
                unsupported = "the Linux HAL reads this domain's grant table through privcmd, which only a PV domain"
                    + " can map; this is a " + host.facts().guestType() + " domain";
            } else if (!host.paths().exists(Device.PRIVCMD)) {
                unsupported = "the Linux HAL reads this domain's grant table through /dev/xen/privcmd, which is missing";
            } else {
                final int version = version(operation);
                if (version != 1) {
                    unsupported = "this domain uses grant table v" + version + "; the Linux HAL reads v1 entries only";
                }
            }
        }
        final String u = unsupported;
        if (u != null) {
            throw new XenHalException(operation, Errno.EOPNOTSUPP, u);
        }
    }

    private int version(final String operation) {
        try (HypercallBuffer b = HypercallBuffer.allocate(host, GnttabGetVersion.LENGTH, operation)) {
            final GnttabGetVersion v = new GnttabGetVersion().wrap(Native.buffer(b.segment()), 0);
            v.dom(Xen.DOMID_SELF);
            host.hypercall(operation + ": GNTTABOP_get_version", Xen.HYPERVISOR_GRANT_TABLE_OP,
                GrantTable.GNTTABOP_GET_VERSION, b.address(), 1);
            return v.version();
        }
    }

    private int currentFrames(final String operation) {
        try (HypercallBuffer b = HypercallBuffer.allocate(host, GnttabQuerySize.LENGTH, operation)) {
            final GnttabQuerySize q = new GnttabQuerySize().wrap(Native.buffer(b.segment()), 0);
            q.dom(Xen.DOMID_SELF);
            host.hypercall(operation + ": GNTTABOP_query_size", Xen.HYPERVISOR_GRANT_TABLE_OP,
                GrantTable.GNTTABOP_QUERY_SIZE, b.address(), 1);
            if (q.status() != GrantTable.GNTST_OKAY) {
                throw new XenHalException(operation + ": GNTTABOP_query_size", Errno.EINVAL,
                    "status " + q.status());
            }
            return q.nrFrames();
        }
    }

    /** Maps frames up to and including {@code index}; false when the table has no such frame. */
    private boolean mapUpTo(final int index, final String operation) {
        if (index < frames.size()) {
            return true;
        }
        final int size = currentFrames(operation);
        if (index >= size) {
            return false;
        }
        final int want = index + 1;
        final long[] mfns = new long[want];
        try (HypercallBuffer b = HypercallBuffer.allocate(host, GnttabSetupTable.LENGTH + 8L * want, operation)) {
            final UnsafeBuffer ub = Native.buffer(b.segment());
            final GnttabSetupTable s = new GnttabSetupTable().wrap(ub, 0);
            s.dom(Xen.DOMID_SELF).nrFrames(want).frameList(b.address() + GnttabSetupTable.LENGTH);
            host.hypercall(operation + ": GNTTABOP_setup_table", Xen.HYPERVISOR_GRANT_TABLE_OP,
                GrantTable.GNTTABOP_SETUP_TABLE, b.address(), 1);
            if (s.status() != GrantTable.GNTST_OKAY) {
                throw new XenHalException(operation + ": GNTTABOP_setup_table", Errno.EINVAL, "status " + s.status());
            }
            for (int i = 0; i < want; i++) {
                mfns[i] = b.segment().get(JAVA_LONG, GnttabSetupTable.LENGTH + 8L * i);
            }
        }
        final DeviceFile privcmd = host.device(Device.PRIVCMD, operation);
        for (int i = frames.size(); i < want; i++) {
            final long[] one = {mfns[i]};
            final PrivcmdMaps.Batch m = PrivcmdMaps.mmapBatch(privcmd, operation + ": map grant table frame " + i,
                Xen.DOMID_SELF, one, true);
            final LinuxForeignMapping mapping = new LinuxForeignMapping(host, host.domid(), one, true, m.address(),
                m.errors(), "grant table frame " + i + " of dom" + host.domid());
            if (m.errors()[0] != 0) {
                mapping.closeQuietly();
                throw new XenHalException(operation + ": map grant table frame " + i, m.errors()[0],
                    "privcmd refused frame 0x" + Long.toHexString(mfns[i]));
            }
            frames.add(mapping);
        }
        return true;
    }

    /** The buffer and offset of an entry's flags+domid word, or null when the table has no such entry. */
    private @Nullable UnsafeBuffer frameOf(final int ref, final String operation) {
        check(operation);
        final long unsigned = Integer.toUnsignedLong(ref);
        final long index = unsigned / ENTRIES_PER_FRAME;
        if (index > Integer.MAX_VALUE || !mapUpTo((int) index, operation)) {
            return null;
        }
        final LinuxForeignMapping m = frames.get((int) index);
        return new UnsafeBuffer(m.address(), Native.PAGE_SIZE);
    }

    private static int at(final int ref) {
        return (int) (Integer.toUnsignedLong(ref) % ENTRIES_PER_FRAME) * GrantEntryV1.LENGTH;
    }

    /**
     * Ends the access a grant gives, unless the peer maps it now.
     *
     * @param ref       the reference
     * @param operation for messages
     * @return true when the entry grants nothing any more (now or already)
     */
    public synchronized boolean tryEnd(final int ref, final String operation) {
        final UnsafeBuffer frame = frameOf(ref, operation);
        if (frame == null) {
            return true;
        }
        final int at = at(ref);
        while (true) {
            // flags is the low half of the little-endian word, domid the high half.
            final int word = frame.getIntVolatile(at);
            final int flags = word & 0xFFFF;
            if ((flags & (GrantTable.GTF_READING | GrantTable.GTF_WRITING)) != 0) {
                return false;
            }
            if (flags == 0) {
                return true;
            }
            if (frame.compareAndSetInt(at, word, word & 0xFFFF_0000)) {
                return true;
            }
        }
    }

    /**
     * The frame an entry grants.
     *
     * @param ref       the reference
     * @param operation for messages
     * @return the frame number, or -1 when the table has no such entry
     */
    public synchronized long frame(final int ref, final String operation) {
        final UnsafeBuffer frame = frameOf(ref, operation);
        return frame == null ? -1 : Integer.toUnsignedLong(GrantEntryV1.frame(frame, at(ref)));
    }

    /**
     * The flags of an entry ({@code GTF_*}).
     *
     * @param ref       the reference
     * @param operation for messages
     * @return the flags, or -1 when the table has no such entry
     */
    public synchronized int flags(final int ref, final String operation) {
        final UnsafeBuffer frame = frameOf(ref, operation);
        return frame == null ? -1 : frame.getIntVolatile(at(ref)) & 0xFFFF;
    }

    /**
     * How many frames of the table this view has mapped (each a privcmd mapping of the process).
     *
     * @return the count
     */
    public synchronized int mappedFrames() {
        return frames.size();
    }

    /**
     * How many entries another domain maps or copies through now ({@code GTF_reading} or
     * {@code GTF_writing} set): a leak check that does not count grants the kernel has yet to end.
     *
     * @param operation for messages
     * @return the count
     */
    public synchronized int countMapped(final String operation) {
        return count(operation, GrantTable.GTF_READING | GrantTable.GTF_WRITING);
    }

    /**
     * How many entries of the table grant something now: a leak check.
     *
     * @param operation for messages
     * @return the count
     */
    public synchronized int countInUse(final String operation) {
        return count(operation, GrantTable.GTF_TYPE_MASK);
    }

    private int count(final String operation, final int mask) {
        check(operation);
        final int size = currentFrames(operation);
        if (size > 0) {
            mapUpTo(size - 1, operation);
        }
        int n = 0;
        for (int f = 0; f < size; f++) {
            final UnsafeBuffer b = new UnsafeBuffer(frames.get(f).address(), Native.PAGE_SIZE);
            for (int e = 0; e < ENTRIES_PER_FRAME; e++) {
                if ((b.getIntVolatile(e * GrantEntryV1.LENGTH) & mask) != 0) {
                    n++;
                }
            }
        }
        return n;
    }
}
