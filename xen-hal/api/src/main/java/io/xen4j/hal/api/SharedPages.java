package io.xen4j.hal.api;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Pages of this domain shared with one peer through grant references (a {@code gntalloc}
 * allocation). The peer maps them with the references, which this domain hands it (usually
 * through xenstore).
 *
 * <p>Closing ends the grants: a page the peer still maps stays granted until it unmaps it, then
 * is released (as Linux's {@code gnttab_end_foreign_access} defers it). To know when the peer has
 * let go, call {@link #tryEndAccess()} before closing; never reuse a page that may still be
 * mapped (SECURITY-RULES: XSA-396).
 */
public interface SharedPages extends XenHandle {
    /**
     * The domain the pages are granted to.
     *
     * @return the domain id
     */
    int remoteDomid();

    /**
     * How many pages are shared.
     *
     * @return the page count
     */
    int pageCount();

    /**
     * Whether the peer may write the pages.
     *
     * @return false for read-only grants
     */
    boolean writable();

    /**
     * The grant reference of one page.
     *
     * @param page index of the page, from 0
     * @return the reference
     * @throws IndexOutOfBoundsException if there is no such page
     */
    int grantRef(int page);

    /**
     * A buffer over all pages, {@code pageCount() * PAGE_SIZE} bytes, shared with the peer: use
     * only the ordered and atomic accessors for values the peer reads concurrently.
     *
     * @return the buffer; it fails on access after {@link #close()}
     * @throws HandleClosedException if the share is closed
     */
    AtomicBuffer buffer();

    /**
     * Ends the peer's access to every page it no longer maps ({@code gnttab_end_foreign_access_ref}:
     * a compare-and-swap on the grant entry that fails while Xen marks it reading or writing).
     *
     * @return true when the peer can no longer use any page: the pages are this domain's again;
     *         false while it still maps at least one page (retry later)
     * @throws HandleClosedException if the share is closed
     */
    boolean tryEndAccess();

    /**
     * Sets what happens when this share is closed, also when the process dies
     * ({@code IOCTL_GNTALLOC_SET_UNMAP_NOTIFY}): clear one byte of the shared pages so the peer
     * sees that this side went away, and/or send an event on a local port.
     *
     * @param byteOffset the byte to set to zero, in {@code [0, pageCount() * PAGE_SIZE)}, or -1
     * @param port       a port bound by this domain's {@link EventChannels} to notify, or -1
     * @throws XenHalException       with {@link Errno#EINVAL} for an offset outside the pages or a
     *                               port this domain has not bound
     * @throws HandleClosedException if the share is closed
     */
    void setUnmapNotify(int byteOffset, int port);
}
