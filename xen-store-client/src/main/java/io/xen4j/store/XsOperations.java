package io.xen4j.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The node operations of xenstore, in one transaction or outside any: {@link XenStoreClient}
 * runs them outside, {@link XsTransaction} inside one.
 *
 * <p>Each operation has a {@link CompletableFuture} form ({@code ...Async}) that never blocks on
 * the daemon, and a blocking form that waits for the reply and throws {@link XenStoreException}
 * with the error name, the operation and the path. Paths are absolute ({@code /local/domain/3/name})
 * or, on a domain's own connection, relative to its home ({@code name}).
 */
public interface XsOperations {
    /**
     * {@code XS_READ}: the value of a node, as bytes.
     *
     * @param path the node
     * @return the value; fails with {@code ENOENT} if there is no such node
     */
    CompletableFuture<byte[]> readBytesAsync(String path);

    /**
     * {@code XS_WRITE}: sets the value of a node, creating it and missing parents.
     *
     * @param path  the node
     * @param value the value, raw bytes (xenstore does not add a NUL)
     * @return completes when the daemon said OK
     */
    CompletableFuture<Void> writeAsync(String path, byte[] value);

    /**
     * {@code XS_MKDIR}: creates a node with an empty value, and missing parents; an existing node
     * is left as it is.
     *
     * @param path the node
     * @return completes when the daemon said OK
     */
    CompletableFuture<Void> mkdirAsync(String path);

    /**
     * {@code XS_RM}: removes a node and all its children; a missing node is not an error, a
     * missing parent is.
     *
     * @param path the node
     * @return completes when the daemon said OK
     */
    CompletableFuture<Void> rmAsync(String path);

    /**
     * {@code XS_DIRECTORY}: the names of a node's children. If the list does not fit in one reply
     * ({@code E2BIG}) it is read in parts with {@code XS_DIRECTORY_PART}, starting again if the
     * node changes between parts, as libxenstore does.
     *
     * @param path the node
     * @return the child names (leaf names, not paths), in the daemon's order
     */
    CompletableFuture<List<String>> directoryAsync(String path);

    /**
     * {@code XS_GET_PERMS}: a node's permission list; the first entry names the owner and the
     * access of every other domain.
     *
     * @param path the node
     * @return the list
     */
    CompletableFuture<List<XsPermission>> getPermissionsAsync(String path);

    /**
     * {@code XS_SET_PERMS}: replaces a node's permission list; only the owner (or dom0) may.
     *
     * @param path        the node
     * @param permissions the list, at least one entry: owner and default access first
     * @return completes when the daemon said OK
     */
    CompletableFuture<Void> setPermissionsAsync(String path, List<XsPermission> permissions);

    /**
     * The value of a node as a UTF-8 string.
     *
     * @param path the node
     * @return the value
     */
    default CompletableFuture<String> readAsync(final String path) {
        return readBytesAsync(path).thenApply(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Sets the value of a node to a UTF-8 string.
     *
     * @param path  the node
     * @param value the value
     * @return completes when the daemon said OK
     */
    default CompletableFuture<Void> writeAsync(final String path, final String value) {
        return writeAsync(path, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether a node exists (and may be read): an {@code XS_READ} that fails with {@code ENOENT}
     * means no, as {@code xenstore-exists} decides.
     *
     * @param path the node
     * @return true if it exists
     */
    default CompletableFuture<Boolean> existsAsync(final String path) {
        return readBytesAsync(path).handle((value, failure) -> {
            if (failure == null) {
                return Boolean.TRUE;
            }
            final Throwable cause = Futures.unwrap(failure);
            if (cause instanceof XenStoreException xe && xe.is(io.xen4j.abi.xenstore.XsdErrors.ENOENT)) {
                return Boolean.FALSE;
            }
            throw Futures.asCompletionException(cause);
        });
    }

    /**
     * Blocking {@link #readBytesAsync}.
     *
     * @param path the node
     * @return the value
     * @throws XenStoreException on an error reply or a broken connection
     */
    default byte[] readBytes(final String path) {
        return Futures.await(readBytesAsync(path));
    }

    /**
     * Blocking {@link #readAsync}.
     *
     * @param path the node
     * @return the value as UTF-8
     * @throws XenStoreException on an error reply or a broken connection
     */
    default String read(final String path) {
        return Futures.await(readAsync(path));
    }

    /**
     * Blocking {@link #writeAsync(String, byte[])}.
     *
     * @param path  the node
     * @param value the value
     * @throws XenStoreException on an error reply or a broken connection
     */
    default void write(final String path, final byte[] value) {
        Futures.await(writeAsync(path, value));
    }

    /**
     * Blocking {@link #writeAsync(String, String)}.
     *
     * @param path  the node
     * @param value the value, written as UTF-8
     * @throws XenStoreException on an error reply or a broken connection
     */
    default void write(final String path, final String value) {
        Futures.await(writeAsync(path, value));
    }

    /**
     * Blocking {@link #mkdirAsync}.
     *
     * @param path the node
     * @throws XenStoreException on an error reply or a broken connection
     */
    default void mkdir(final String path) {
        Futures.await(mkdirAsync(path));
    }

    /**
     * Blocking {@link #rmAsync}.
     *
     * @param path the node
     * @throws XenStoreException on an error reply or a broken connection
     */
    default void rm(final String path) {
        Futures.await(rmAsync(path));
    }

    /**
     * Blocking {@link #directoryAsync}.
     *
     * @param path the node
     * @return the child names
     * @throws XenStoreException on an error reply or a broken connection
     */
    default List<String> directory(final String path) {
        return Futures.await(directoryAsync(path));
    }

    /**
     * Blocking {@link #getPermissionsAsync}.
     *
     * @param path the node
     * @return the permission list
     * @throws XenStoreException on an error reply or a broken connection
     */
    default List<XsPermission> getPermissions(final String path) {
        return Futures.await(getPermissionsAsync(path));
    }

    /**
     * Blocking {@link #setPermissionsAsync}.
     *
     * @param path        the node
     * @param permissions the list
     * @throws XenStoreException on an error reply or a broken connection
     */
    default void setPermissions(final String path, final List<XsPermission> permissions) {
        Futures.await(setPermissionsAsync(path, permissions));
    }

    /**
     * Blocking {@link #existsAsync}.
     *
     * @param path the node
     * @return true if it exists
     * @throws XenStoreException on an error other than {@code ENOENT}
     */
    default boolean exists(final String path) {
        return Futures.await(existsAsync(path));
    }
}
