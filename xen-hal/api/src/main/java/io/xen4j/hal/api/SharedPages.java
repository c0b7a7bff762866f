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
 *
 * <p>A page can be lent to the same peer again and again without a fresh share: end its access
 * with {@link #tryEndAccess(int)}, use it privately, then {@link #grantAgain(int)} (where the
 * backend {@linkplain #canGrantAgain() can}). Between the two the page is this domain's alone:
 * the peer can neither map it nor copy to or from it.
 */
public interface SharedPages extends GrantedPages {
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
    @Override
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
     * Ends the peer's access to one page, as {@link #tryEndAccess()} does for all of them: a
     * compare-and-swap on its grant entry that fails while Xen marks it reading or writing. Once it
     * returned true the peer can no longer map the page or copy to or from it, until
     * {@link #grantAgain(int)}; ending a page whose access is already ended returns true again.
     *
     * @param page index of the page, from 0
     * @return true when the peer can no longer use the page; false while it maps it (retry later)
     * @throws IndexOutOfBoundsException if there is no such page
     * @throws HandleClosedException     if the share is closed
     */
    boolean tryEndAccess(int page);

    /**
     * Whether {@link #grantAgain(int)} works on this share. A guest kernel's grant API can grant a
     * page again ({@code gnttab_grant_foreign_access_ref}); Linux's {@code /dev/xen/gntalloc}
     * cannot, so the Linux HAL says false and callers share fresh pages instead.
     *
     * @return true when pages whose access was ended can be granted again
     */
    boolean canGrantAgain();

    /**
     * Grants one page again to the same peer with the same rights, after its access was ended
     * ({@link #tryEndAccess(int)} or {@link #tryEndAccess()} returned true): what a driver that
     * keeps its pages does instead of sharing fresh ones. The contents are left as they are (the
     * caller clears what the peer must not see, SECURITY-RULES: XSA-403). A page is never granted
     * twice at once: one whose access was not ended is refused.
     *
     * @param page index of the page, from 0
     * @return the page's grant reference from now on (also {@link #grantRef(int)}); it may be the
     *         one the page had before
     * @throws IndexOutOfBoundsException   if there is no such page
     * @throws XenHalException             with {@link Errno#EBUSY} when the page's access is not
     *                                     ended
     * @throws UnsupportedServiceException when {@link #canGrantAgain()} is false
     * @throws HandleClosedException       if the share is closed
     */
    int grantAgain(int page);

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
