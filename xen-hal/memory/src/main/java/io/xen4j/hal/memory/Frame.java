package io.xen4j.hal.memory;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One page of a simulated domain's memory: a 4 KiB slice of a backing region. Pages shared in
 * one request are slices of one region, so a mapping of them in order is one contiguous buffer.
 */
final class Frame {
    /** Identity of the backing region: frames of one region with consecutive offsets are contiguous. */
    final long regionId;
    final ByteBuffer region;
    final int offset;
    final UnsafeBuffer page;
    /** Mappings by other domains (grant pins, foreign mappings) that keep this page alive. */
    int holds;

    Frame(final long regionId, final ByteBuffer region, final int offset) {
        this.regionId = regionId;
        this.region = region;
        this.offset = offset;
        this.page = new UnsafeBuffer(region, offset, Physmap.PAGE_SIZE);
    }

    boolean followedBy(final Frame next) {
        return next.regionId == regionId && next.offset == offset + Physmap.PAGE_SIZE;
    }
}
