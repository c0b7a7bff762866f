package io.xen4j.store;

/**
 * The body of a transaction that {@link XenStoreClient#transaction(int, TransactionBody)} may run
 * several times: it must do all its xenstore work through the transaction it is given, and
 * nothing it cannot repeat.
 *
 * @param <T> what the body returns
 */
@FunctionalInterface
public interface TransactionBody<T> {
    /**
     * Runs once per attempt.
     *
     * @param tx the transaction of this attempt
     * @return the result, kept if the commit succeeds
     */
    T run(XsTransaction tx);
}
