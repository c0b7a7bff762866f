package io.xen4j.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A xenstore transaction: the node operations run on the daemon's snapshot with this
 * transaction's id, and take effect together at {@link #commit()}, which fails with
 * {@code EAGAIN} if another change conflicted; then the whole transaction may be run again (see
 * {@link XenStoreClient#transaction(int, TransactionBody)}). Closing without committing aborts.
 */
public final class XsTransaction implements XsOperations, AutoCloseable {
    private final XenStoreClient client;
    private final int id;
    private final AtomicBoolean ended = new AtomicBoolean();

    XsTransaction(final XenStoreClient client, final int id) {
        this.client = client;
        this.id = id;
    }

    /**
     * The transaction id the daemon allocated, sent in every request's {@code tx_id}.
     *
     * @return the id (unsigned 32 bit, as an int)
     */
    public int id() {
        return id;
    }

    /**
     * Whether the transaction was committed, aborted, or dropped by a reset or a broken
     * connection.
     *
     * @return true once ended
     */
    public boolean isEnded() {
        return ended.get();
    }

    @Override
    public CompletableFuture<byte[]> readBytesAsync(final String path) {
        return client.readBytesAsync(id, path);
    }

    @Override
    public CompletableFuture<Void> writeAsync(final String path, final byte[] value) {
        return client.writeAsync(id, path, value);
    }

    @Override
    public CompletableFuture<Void> mkdirAsync(final String path) {
        return client.mkdirAsync(id, path);
    }

    @Override
    public CompletableFuture<Void> rmAsync(final String path) {
        return client.rmAsync(id, path);
    }

    @Override
    public CompletableFuture<List<String>> directoryAsync(final String path) {
        return client.directoryAsync(id, path);
    }

    @Override
    public CompletableFuture<List<XsPermission>> getPermissionsAsync(final String path) {
        return client.getPermissionsAsync(id, path);
    }

    @Override
    public CompletableFuture<Void> setPermissionsAsync(final String path, final List<XsPermission> permissions) {
        return client.setPermissionsAsync(id, path, permissions);
    }

    /**
     * {@code XS_TRANSACTION_END T}: commits. The transaction ends whatever the answer.
     *
     * @return completes when committed; fails with {@code EAGAIN} on a conflict
     */
    public CompletableFuture<Void> commitAsync() {
        return end(true);
    }

    /**
     * {@code XS_TRANSACTION_END F}: aborts; nothing the transaction did takes effect.
     *
     * @return completes when the daemon said OK
     */
    public CompletableFuture<Void> abortAsync() {
        return end(false);
    }

    /**
     * Blocking {@link #commitAsync()}.
     *
     * @throws XenStoreException {@code EAGAIN} on a conflict, or another error
     */
    public void commit() {
        Futures.await(commitAsync());
    }

    /**
     * Blocking {@link #abortAsync()}.
     *
     * @throws XenStoreException on an error reply or a broken connection
     */
    public void abort() {
        Futures.await(abortAsync());
    }

    /**
     * Aborts the transaction if it is still open; does nothing if it ended or the connection is
     * gone (the daemon then drops it by itself).
     */
    @Override
    public void close() {
        if (!ended.get() && !client.isBroken()) {
            abort();
        }
    }

    private CompletableFuture<Void> end(final boolean commit) {
        if (!ended.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new XenStoreException(io.xen4j.abi.xenstore.XsdErrors.EINVAL,
                "XS_TRANSACTION_END", null, client.connection(), "transaction " + Integer.toUnsignedString(id)
                + " already ended", null));
        }
        client.forget(this);
        return client.transactionEnd(id, commit);
    }

    /** The daemon dropped the transaction (reset or broken connection). */
    void markEnded() {
        ended.set(true);
    }

    @Override
    public String toString() {
        return "XsTransaction[id=" + Integer.toUnsignedString(id) + (ended.get() ? ", ended" : "") + "]";
    }
}
