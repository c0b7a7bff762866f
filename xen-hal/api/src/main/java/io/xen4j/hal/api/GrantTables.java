package io.xen4j.hal.api;

/**
 * Grant tables of one domain: sharing this domain's pages with a peer (the Linux
 * {@code /dev/xen/gntalloc} device), mapping a peer's grants and copying through them
 * ({@code /dev/xen/gntdev}).
 *
 * <p>The rules are those of {@code xen/grant_table.h}: a grant names the one domain that may use
 * it; a read-only grant cannot be mapped writable or copied into; the granter cannot take a page
 * back while the peer maps it ({@link SharedPages#tryEndAccess()}).
 */
public interface GrantTables {
    /** Size of a page, the unit of grants and mappings. */
    int PAGE_SIZE = 4096;

    /**
     * Shares fresh, zeroed pages of this domain with a peer ({@code IOCTL_GNTALLOC_ALLOC_GREF}):
     * one grant reference per page, all naming {@code remoteDomid}.
     *
     * @param remoteDomid the only domain allowed to map the pages
     * @param pageCount   how many pages, at least 1
     * @param writable    whether the peer may write them ({@code GNTALLOC_FLAG_WRITABLE}); this
     *                    domain always may
     * @return the share: its references and a buffer over all its pages
     * @throws XenHalException naming the remote domain: {@link Errno#ENOSPC} when the grant table
     *                         is full, {@link Errno#ENOMEM} when out of pages
     */
    SharedPages share(int remoteDomid, int pageCount, boolean writable);

    /**
     * Maps grants of a peer ({@code IOCTL_GNTDEV_MAP_GRANT_REF} and {@code mmap}), one page per
     * reference, contiguously in the order given. The whole map fails if one reference fails.
     *
     * @param remoteDomid the granting domain
     * @param refs        the grant references, at least one
     * @param writable    whether to map them writable; each grant must then allow writing
     * @return the mapping
     * @throws GrantStatusException naming the refused reference and its {@code GNTST_*} status:
     *                              the grant is not for this domain, is read-only and a writable
     *                              map was asked, or the reference is invalid
     * @throws XenHalException      for other failures, naming the domain and references
     */
    MappedGrants map(int remoteDomid, int[] refs, boolean writable);

    /**
     * Maps one grant of a peer.
     *
     * @param remoteDomid the granting domain
     * @param ref         the grant reference
     * @param writable    whether to map it writable
     * @return the mapping
     * @throws GrantStatusException naming the reference and its {@code GNTST_*} status
     * @see #map(int, int[], boolean)
     */
    MappedGrants map(int remoteDomid, int ref, boolean writable);

    /**
     * Runs a batch of grant copies ({@code IOCTL_GNTDEV_GRANT_COPY}, {@code GNTTABOP_copy}). Each
     * segment gets its own {@code GNTST_*} status in the batch; a refused segment does not stop
     * the others.
     *
     * @param batch the segments; their statuses are written back into it
     * @throws XenHalException only when the batch as a whole cannot be submitted
     */
    void copy(GrantCopyBatch batch);
}
