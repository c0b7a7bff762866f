package io.xen4j.hal.memory;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.spi.AbstractXenHandle;
import org.jspecify.annotations.Nullable;

/**
 * A handle of the simulated host. Besides being closed by its owner it can be revoked by the
 * hypervisor when its domain is destroyed: the resource is released on the Xen side only (the
 * guest's kernel is gone, so no unmap notification), operations then fail with {@code ESRCH},
 * and a later close is accepted once.
 */
abstract class SimHandle extends AbstractXenHandle {
    final SimHost host;
    final Hypervisor hv;
    final DomainCore domain;
    private @Nullable String revoked;

    SimHandle(final SimHost host) {
        this.host = host;
        this.hv = host.hv;
        this.domain = host.domain;
    }

    /** Under the lock: throws if the handle is closed or revoked. */
    final void checkUsable(final String operation) {
        ensureOpen(operation);
        final String r = revoked;
        if (r != null) {
            throw new XenHalException(operation + " on " + describe(), Errno.ESRCH, r);
        }
    }

    final boolean isRevoked() {
        return revoked != null;
    }

    /** Under the lock, by the hypervisor destroying the domain. */
    final void revoke(final String reason) {
        if (revoked == null && !isClosed()) {
            revoked = reason;
            revokeLocked(reason);
        }
    }

    /** Releases what Xen holds for the handle, without the guest's part. Under the lock. */
    abstract void revokeLocked(String reason);

    /** Releases the handle as its owner closing it would. Under the lock. */
    abstract void releaseLocked();

    @Override
    protected final void release() {
        hv.lock.lock();
        try {
            host.unregister(this);
            if (revoked == null) {
                releaseLocked();
            }
        } finally {
            hv.lock.unlock();
        }
    }
}
