package io.xen4j.hal.memory;

import io.xen4j.hal.spi.PageViewBuffer;
import java.util.Objects;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A simulated handle over pages: a domain's own shared pages ({@link SimSharedPages}), a peer's
 * grants mapped into it ({@link SimMappedGrants}) or another domain's frames mapped by a privileged
 * one ({@link SimForeignMapping}). Each hands out its {@link PageViewBuffer} over the simulated
 * memory, its plain view (only a writable contiguous share or grant mapping has one), and the
 * explanation of a failed plain access.
 */
abstract class SimPagesHandle extends SimHandle {
    private @Nullable PageViewBuffer view;

    SimPagesHandle(final SimHost host) {
        super(host);
    }

    /** Sets the view over the pages, once, when the pages are shared or mapped. */
    final void attachView(final PageViewBuffer buffer) {
        this.view = buffer;
    }

    final PageViewBuffer view() {
        return Objects.requireNonNull(view);
    }

    /**
     * The checked view of the pages.
     *
     * @return the view; it fails every access once the handle is closed or revoked
     */
    public final AtomicBuffer buffer() {
        hv.lock.lock();
        try {
            checkUsable("buffer");
            return view();
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * The plain buffer over the pages where the view has one. The simulated memory is a direct
     * {@code ByteBuffer} that only the garbage collector frees, so a plain buffer over it can never
     * touch freed memory ({@link PageViewBuffer#plainView()}).
     *
     * @return the plain buffer, or the checked view
     */
    public final AtomicBuffer plainBuffer() {
        hv.lock.lock();
        try {
            checkUsable("plain buffer");
            return view().plainView();
        } finally {
            hv.lock.unlock();
        }
    }

    /**
     * Explains a failed access of the plain buffer. No lock: the view publishes why it was
     * detached (unmapped, closed, a domain destroyed) before the plain buffer shrinks.
     *
     * @param failure what the access threw
     * @return the explained failure, or {@code failure} itself
     */
    public final RuntimeException explainAccessFailure(final RuntimeException failure) {
        return view().accessFailure(failure);
    }
}
