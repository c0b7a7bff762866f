package io.xen4j.hal.api;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A peer's grants mapped into this domain (a {@code gntdev} mapping). Closing unmaps them; the
 * peer can then end its grants.
 */
public interface MappedGrants extends XenHandle {
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
    AtomicBuffer buffer();

    /**
     * The same pages as {@link #buffer()}, for a hot path that reaches them many times per
     * operation (a ring's indices and slots, done by the one thread that also closes this
     * handle): a plain Agrona {@code UnsafeBuffer} where the backend can give one without risk
     * to the process, so that no per-access check of the handle's state or dispatch through the
     * backend's view is paid and the ring's unchecked slot moves apply. Otherwise, and by
     * default, {@link #buffer()} itself.
     *
     * <p>The simulated host gives one for writable pages that are contiguous (its memory is only
     * freed by the garbage collector); the Linux HAL does not (an access after {@code munmap}
     * would crash the JVM). Bounds are checked by Agrona as for any {@code UnsafeBuffer}. After
     * {@link #close()} (or the peer's domain going away) its capacity is 0: every access fails
     * with {@link IndexOutOfBoundsException} rather than {@link HandleClosedException}, and a
     * thread racing the close may complete one access of memory that is no longer shared. A
     * caller that catches such a failure turns it into the error {@link #buffer()} would have
     * given (naming the handle and why it is gone) with {@link #explainAccessFailure}.
     *
     * @return a plain buffer over all pages, or {@link #buffer()}
     * @throws HandleClosedException if the mapping is closed
     */
    default AtomicBuffer plainBuffer() {
        return buffer();
    }

    /**
     * The error an access of {@link #plainBuffer()} should have given. Once this mapping is closed,
     * unmapped or revoked (its domain or the peer's destroyed), the plain buffer fails Agrona's
     * bounds check with an {@link IndexOutOfBoundsException} ("capacity=0") that names neither
     * the pages nor why; a caller that catches the failure of an access passes it here and gets
     * the {@link HandleClosedException} the checked {@link #buffer()} throws instead, naming this
     * handle (the domains and grant references) and why it is gone, with the original as cause.
     * Any other failure, or one while the mapping is usable, comes back as it is.
     *
     * @param failure what the access threw
     * @return the explained failure, or {@code failure} itself
     */
    default RuntimeException explainAccessFailure(final RuntimeException failure) {
        // A backend without a plain buffer of its own hands out buffer(), which explains itself.
        return failure instanceof IndexOutOfBoundsException && isClosed()
            ? new HandleClosedException(describe(), "access through the plain buffer", failure)
            : failure;
    }

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
