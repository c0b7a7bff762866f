package io.xen4j.blk;

import org.jspecify.annotations.Nullable;

/**
 * The completion of a request submitted without a future: told exactly once, on the driver's
 * thread, so it must not block (a request refused at once, invalid or on a broken device, is
 * told on the submitting thread). One instance can serve any number of requests.
 */
@FunctionalInterface
public interface BlockCallback {
    /**
     * The request is done.
     *
     * @param failure null on success; otherwise why it failed, naming domain, device and reason
     */
    void onComplete(@Nullable BlockIoException failure);
}
