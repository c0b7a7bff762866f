package io.xen4j.hal.api;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A peer's grants mapped into this domain (a {@code gntdev} mapping). Closing unmaps them; the
 * peer can then end its grants.
 */
public interface MappedGrants extends GrantedPages {
    /**
     * The granting domain.
     *
     * @return the domain id
     */
    int remoteDomid();

    /**
     * How many pages are mapped, one per reference.
     *
     * @return the page count
     */
    int pageCount();

    /**
     * The reference of one page.
     *
     * @param page index of the page, from 0
     * @return the reference
     * @throws IndexOutOfBoundsException if there is no such page
     */
    int grantRef(int page);

    /**
     * Whether the mapping is writable.
     *
     * @return false for a read-only mapping
     */
    boolean writable();

    /**
     * A buffer over all pages in the order of the references, {@code pageCount() * PAGE_SIZE}
     * bytes. The peer writes these pages concurrently: read each value once and validate the copy
     * (SECURITY-RULES R1, R2). A read-only mapping's buffer fails on every write.
     *
     * @return the buffer; it fails on access after {@link #close()}
     * @throws HandleClosedException if the mapping is closed
     */
    @Override
    AtomicBuffer buffer();

    /**
     * Sets what happens when this mapping is unmapped, also when the process dies
     * ({@code IOCTL_GNTDEV_SET_UNMAP_NOTIFY}): clear one byte of the mapped pages so the granter
     * sees that this side went away, and/or send an event on a local port.
     *
     * @param byteOffset the byte to set to zero, in {@code [0, pageCount() * PAGE_SIZE)}, or -1;
     *                   only for a writable mapping
     * @param port       a port bound by this domain's {@link EventChannels} to notify, or -1
     * @throws XenHalException       with {@link Errno#EINVAL} for an offset outside the mapping,
     *                               a byte to clear in a read-only mapping, or a port this domain
     *                               has not bound
     * @throws HandleClosedException if the mapping is closed
     */
    void setUnmapNotify(int byteOffset, int port);
}
