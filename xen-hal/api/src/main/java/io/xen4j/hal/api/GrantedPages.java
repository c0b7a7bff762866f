package io.xen4j.hal.api;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Pages shared with one peer domain through grant references, from either side: this domain's
 * own pages granted to the peer ({@link SharedPages}) or the peer's grants mapped here
 * ({@link MappedGrants}). What both have in common is the memory itself: the checked
 * {@link #buffer()}, and for hot paths the {@link #plainBuffer()} with the
 * {@link #explainAccessFailure} that names the handle when an access fails after it is gone.
 */
public interface GrantedPages extends XenHandle {
    /**
     * A buffer over all pages, one after another, shared with the peer, which reads or writes them
     * concurrently (SECURITY-RULES R1, R2); {@link SharedPages#buffer()} and
     * {@link MappedGrants#buffer()} say more.
     *
     * @return the buffer; it fails on access after {@link #close()}
     * @throws HandleClosedException if the handle is closed
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
     * @throws HandleClosedException if the handle is closed
     */
    default AtomicBuffer plainBuffer() {
        return buffer();
    }

    /**
     * The error an access of {@link #plainBuffer()} should have given. Once this handle is closed,
     * unmapped or revoked (its domain or the peer's destroyed), the plain buffer fails Agrona's
     * bounds check with an {@link IndexOutOfBoundsException} ("capacity=0") that names neither
     * the pages nor why; a caller that catches the failure of an access passes it here and gets
     * the {@link HandleClosedException} the checked {@link #buffer()} throws instead, naming this
     * handle (the domains and grant references) and why it is gone, with the original as cause.
     * Any other failure, or one while the handle is usable, comes back as it is.
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
}
