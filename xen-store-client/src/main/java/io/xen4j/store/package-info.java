/**
 * The xenstore client: {@link io.xen4j.store.XenStoreClient} with blocking and
 * {@link java.util.concurrent.CompletableFuture} forms of every operation, transactions
 * ({@link io.xen4j.store.XsTransaction}), watches ({@link io.xen4j.store.XsWatch}), permissions
 * as values ({@link io.xen4j.store.XsPermission}) and the typed error
 * {@link io.xen4j.store.XenStoreException}.
 */
@NullMarked
package io.xen4j.store;

import org.jspecify.annotations.NullMarked;
