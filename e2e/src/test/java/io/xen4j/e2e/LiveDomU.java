package io.xen4j.e2e;

import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * The harness's domU as dom0's end-to-end tests see it: its name ({@code $XEN4J_DOMU_NAME},
 * which {@code live-xen/run.sh} exports when it started the guest), its domid, a dom0 xenstore
 * connection, the harness's shared folder ({@code $XEN4J_LIVE_SHARED}) and xenconsoled's log of
 * the guest's console, where {@code live-xen/domu-init.sh} prints its {@code XEN4J-DOMU:} lines.
 */
final class LiveDomU implements AutoCloseable {
    /** The variable run.sh sets to the guest's name. */
    static final String NAME_ENV = "XEN4J_DOMU_NAME";
    /** The variable run.sh sets to the shared folder ({@code /mnt/shared} in dom0). */
    static final String SHARED_ENV = "XEN4J_LIVE_SHARED";

    private final String name;
    private final int domid;
    private final XenStoreClient store;
    private final Path shared;

    private LiveDomU(final String name, final int domid, final XenStoreClient store, final Path shared) {
        this.name = name;
        this.domid = domid;
        this.store = store;
        this.shared = shared;
    }

    /**
     * Finds the guest, or skips the calling test when the harness started none.
     *
     * @return the guest, with an open dom0 xenstore connection
     * @throws IOException when xenstore cannot be opened
     */
    static LiveDomU find() throws IOException {
        final @Nullable String name = System.getenv(NAME_ENV);
        Assumptions.assumeTrue(name != null && !name.isEmpty(),
            "no domU: live-xen/run.sh --domu starts one and names it in " + NAME_ENV);
        final String shared = Objects.requireNonNullElse(System.getenv(SHARED_ENV), "/mnt/shared");
        final XenStoreClient store = XenStoreClient.open(System.getenv(),
            XenStoreClient.Options.DEFAULTS.withRequestTimeout(Duration.ofSeconds(30)));
        try {
            final int domid = domidOf(store, Objects.requireNonNull(name));
            return new LiveDomU(name, domid, store, Path.of(shared));
        } catch (final RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The domid of the domain named {@code name} in {@code /local/domain/<id>/name}, or an exception naming them all. */
    static int domidOf(final XenStoreClient store, final String name) {
        final List<String> seen = new ArrayList<>();
        for (final String id : store.directory("/local/domain")) {
            final @Nullable String n = readOrNull(store, "/local/domain/" + id + "/name");
            seen.add(id + "=" + n);
            if (!id.equals("0") && name.equals(n)) {
                return Integer.parseInt(id);
            }
        }
        throw new IllegalStateException("no domain named " + name + " under /local/domain: " + seen);
    }

    /**
     * Reads a node, or null when it does not exist.
     *
     * @param store the connection
     * @param path the node
     * @return its value or null
     */
    static @Nullable String readOrNull(final XenStoreClient store, final String path) {
        try {
            return store.read(path);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Every node under a directory, {@code relative/path=value}, for printing what a peer wrote.
     *
     * @param store the connection
     * @param dir the directory
     * @return the nodes in xenstore's order (empty when the directory is gone)
     */
    static Map<String, String> dump(final XenStoreClient store, final String dir) {
        final Map<String, String> out = new java.util.LinkedHashMap<>();
        dump(store, dir, "", out);
        return out;
    }

    private static void dump(final XenStoreClient store, final String dir, final String prefix, final Map<String, String> out) {
        final List<String> children;
        try {
            children = store.directory(dir);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return;
            }
            throw e;
        }
        for (final String c : children) {
            final @Nullable String v = readOrNull(store, dir + "/" + c);
            if (v != null && !v.isEmpty()) {
                out.put(prefix + c, v);
            }
            // Bounded: device directories are two levels deep (queue-N/ring-ref).
            if (prefix.chars().filter(ch -> ch == '/').count() < 2) {
                dump(store, dir + "/" + c, prefix + c + "/", out);
            }
        }
    }

    /**
     * The guest's name.
     *
     * @return the name from {@value #NAME_ENV}
     */
    String name() {
        return name;
    }

    /**
     * The guest's domid.
     *
     * @return the domid
     */
    int domid() {
        return domid;
    }

    /**
     * dom0's xenstore connection (closed with this object).
     *
     * @return the connection
     */
    XenStoreClient store() {
        return store;
    }

    /**
     * The harness's shared folder, whose contents the host keeps after the run.
     *
     * @return {@code $XEN4J_LIVE_SHARED}
     */
    Path shared() {
        return shared;
    }

    /**
     * xenconsoled's log of the guest's primary console, read for {@code XEN4J-DOMU:} lines.
     *
     * @return the log
     */
    GuestConsoleLog console() {
        return GuestConsoleLog.ofXenconsoled(shared.resolve("dom0/console"), name);
    }

    @Override
    public void close() {
        store.close();
    }
}
