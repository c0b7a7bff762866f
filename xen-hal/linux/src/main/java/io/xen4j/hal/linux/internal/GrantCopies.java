package io.xen4j.hal.linux.internal;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.abi.linux.IoctlGntdevGrantCopySegment;
import io.xen4j.hal.api.GrantCopyBatch;
import java.lang.foreign.MemorySegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns a {@link GrantCopyBatch} into the {@code ioctl_gntdev_grant_copy_segment} array of
 * {@code IOCTL_GNTDEV_GRANT_COPY}, and the kernel's statuses back. Pure: no device.
 *
 * <p>The kernel refuses the whole ioctl when one segment's grant side crosses its page, so such
 * segments get {@link GrantTable#GNTST_BAD_COPY_ARG} here and are not submitted. Local sides go
 * through a native bounce area: a Java buffer (heap or not) has no address the kernel may pin.
 */
public final class GrantCopies {
    private GrantCopies() {
    }

    /**
     * Bytes of bounce area a batch needs: the sum of its local sides.
     *
     * @param batch the batch
     * @return the bytes
     */
    public static long bounceBytes(final GrantCopyBatch batch) {
        long total = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.sourceDomid(i) == GrantCopyBatch.LOCAL || batch.destDomid(i) == GrantCopyBatch.LOCAL) {
                total += batch.length(i);
            }
        }
        return total;
    }

    private static boolean grantSideOk(final int offset, final int length) {
        return offset >= 0 && offset <= Native.PAGE_SIZE - length;
    }

    /**
     * Encodes the segments to submit, decides the others' statuses, and copies local sources into
     * the bounce area.
     *
     * @param batch    the batch; statuses of segments not submitted are set here
     * @param segments at least {@code batch.size() * IoctlGntdevGrantCopySegment.LENGTH} bytes
     * @param bounce   at least {@link #bounceBytes} bytes
     * @param submitted receives, per submitted segment, its index in the batch
     * @param bounceAt receives, per batch segment, its offset in the bounce area (or -1)
     * @return how many segments to submit
     */
    public static int encode(
        final GrantCopyBatch batch, final MemorySegment segments, final MemorySegment bounce, final int[] submitted,
        final int[] bounceAt) {
        final int n = batch.size();
        if (segments.byteSize() < (long) n * IoctlGntdevGrantCopySegment.LENGTH || submitted.length < n
            || bounceAt.length < n || bounce.byteSize() < bounceBytes(batch)) {
            throw new IllegalArgumentException("grant copy: room for " + n + " segments needed");
        }
        final UnsafeBuffer seg = Native.buffer(segments.asSlice(0, Math.max(1, (long) n * IoctlGntdevGrantCopySegment.LENGTH)));
        final UnsafeBuffer bounceBuffer = bounce.byteSize() == 0 ? new UnsafeBuffer(new byte[0]) : Native.buffer(bounce);
        final IoctlGntdevGrantCopySegment s = new IoctlGntdevGrantCopySegment();
        int count = 0;
        int used = 0;
        for (int i = 0; i < n; i++) {
            bounceAt[i] = -1;
            final int length = batch.length(i);
            final boolean srcGrant = batch.sourceDomid(i) != GrantCopyBatch.LOCAL;
            final boolean dstGrant = batch.destDomid(i) != GrantCopyBatch.LOCAL;
            if (srcGrant && !grantSideOk(batch.sourceOffset(i), length)
                || dstGrant && !grantSideOk(batch.destOffset(i), length)) {
                batch.status(i, GrantTable.GNTST_BAD_COPY_ARG);
                continue;
            }
            if (length == 0) {
                batch.status(i, GrantTable.GNTST_OKAY);
                continue;
            }
            s.wrap(seg, count * IoctlGntdevGrantCopySegment.LENGTH);
            s.clear();
            int flags = 0;
            if (srcGrant) {
                flags |= GrantTable.GNTCOPY_SOURCE_GREF;
                s.sourceForeignRef(batch.sourceRef(i)).sourceForeignOffset(batch.sourceOffset(i))
                    .sourceForeignDomid(batch.sourceDomid(i));
            } else {
                final DirectBuffer src = java.util.Objects.requireNonNull(batch.sourceBuffer(i));
                src.getBytes(batch.sourceOffset(i), bounceBuffer, used, length);
                s.sourceVirt(bounce.address() + used);
                bounceAt[i] = used;
                used += length;
            }
            if (dstGrant) {
                flags |= GrantTable.GNTCOPY_DEST_GREF;
                s.destForeignRef(batch.destRef(i)).destForeignOffset(batch.destOffset(i))
                    .destForeignDomid(batch.destDomid(i));
            } else {
                s.destVirt(bounce.address() + used);
                bounceAt[i] = used;
                used += length;
            }
            s.len(length).flags(flags).status(GrantCopyBatch.NOT_RUN);
            submitted[count++] = i;
        }
        return count;
    }

    /**
     * Reads the statuses back into the batch and copies what was copied into local destinations.
     *
     * @param batch     the batch
     * @param segments  the submitted segments
     * @param bounce    the bounce area
     * @param submitted per submitted segment, its index in the batch
     * @param count     how many were submitted
     * @param bounceAt  per batch segment, its offset in the bounce area
     */
    public static void decode(
        final GrantCopyBatch batch, final MemorySegment segments, final MemorySegment bounce, final int[] submitted,
        final int count, final int[] bounceAt) {
        if (count == 0) {
            return;
        }
        final UnsafeBuffer seg = Native.buffer(segments.asSlice(0, (long) count * IoctlGntdevGrantCopySegment.LENGTH));
        final UnsafeBuffer bounceBuffer = bounce.byteSize() == 0 ? new UnsafeBuffer(new byte[0]) : Native.buffer(bounce);
        for (int k = 0; k < count; k++) {
            final int i = submitted[k];
            final int status = IoctlGntdevGrantCopySegment.status(seg, k * IoctlGntdevGrantCopySegment.LENGTH);
            batch.status(i, status);
            if (status == GrantTable.GNTST_OKAY && batch.destDomid(i) == GrantCopyBatch.LOCAL) {
                final MutableDirectBuffer dst = java.util.Objects.requireNonNull(batch.destBuffer(i));
                dst.putBytes(batch.destOffset(i), bounceBuffer, bounceAt[i], batch.length(i));
            }
        }
    }
}
