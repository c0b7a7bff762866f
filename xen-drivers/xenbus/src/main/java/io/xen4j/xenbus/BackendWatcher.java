package io.xen4j.xenbus;

import io.xen4j.store.WatchEvent;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsWatch;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Discovers devices of one type under {@code /local/domain/<backend>/backend/<type>/<domid>/<devid>},
 * like the Linux xenbus backend probe: one watch on the type's directory; each event rescans it
 * and reports devices that appeared or disappeared. Names in the directory are written by the
 * toolstack, but are still checked (decimal numbers in range) before a device is reported.
 *
 * <p>Events arrive on the client's watch thread, one at a time; the listener runs there.
 */
public final class BackendWatcher implements AutoCloseable {
    /** Hears of devices appearing and disappearing. */
    public interface Listener {
        /**
         * A device directory appeared.
         *
         * @param device the device
         */
        void deviceAdded(DevicePaths device);

        /**
         * A device directory disappeared.
         *
         * @param device the device
         */
        void deviceRemoved(DevicePaths device);
    }

    private static final System.Logger LOG = System.getLogger(BackendWatcher.class.getName());

    private final XenStoreClient store;
    private final int backendDomid;
    private final String type;
    private final String kind;
    private final String root;
    private final Listener listener;
    private final Set<DevicePaths> known = new HashSet<>();
    private final XsWatch watch;

    /**
     * Starts watching. The first event (which xenstored sends at once) reports devices that
     * already exist.
     *
     * @param store        the backend domain's connection
     * @param backendDomid the backend domain
     * @param type         the device class
     * @param listener     gets the devices
     */
    public BackendWatcher(final XenStoreClient store, final int backendDomid, final String type, final Listener listener) {
        this(store, backendDomid, type, type, listener);
    }

    /**
     * Starts watching a backend directory whose kind is not the device class (a user-space
     * backend's, such as {@code backend/xen4j-vbd} for {@code vbd} devices; see
     * {@link DevicePaths#backendKind()}).
     *
     * @param store        the backend domain's connection
     * @param backendDomid the backend domain
     * @param type         the device class (the frontends' directory)
     * @param backendKind  the directory watched under {@code backend/}
     * @param listener     gets the devices
     */
    public BackendWatcher(final XenStoreClient store, final int backendDomid, final String type, final String backendKind,
                          final Listener listener) {
        this.store = store;
        this.backendDomid = backendDomid;
        this.type = type;
        this.kind = backendKind;
        this.root = DevicePaths.backendRoot(backendDomid, backendKind);
        this.listener = listener;
        this.watch = store.watch(root, this::onEvent);
    }

    private void onEvent(final WatchEvent event) {
        try {
            rescan();
        } catch (final RuntimeException e) {
            // A failing scan must not kill the watch thread; the next event scans again.
            LOG.log(System.Logger.Level.WARNING, "xenbus backend watch " + root + " (dom" + backendDomid + "): " + e.getMessage());
        }
    }

    /**
     * Scans the directory now and reports the differences; also called for each watch event.
     */
    public synchronized void rescan() {
        final Set<DevicePaths> now = new HashSet<>();
        for (final String fe : list(root)) {
            final int frontend = parseId(fe, DevicePaths.DOMID_MAX);
            if (frontend < 0) {
                continue;
            }
            for (final String id : list(root + "/" + fe)) {
                final int devid = parseId(id, Integer.MAX_VALUE);
                if (devid >= 0) {
                    now.add(new DevicePaths(type, frontend, backendDomid, devid, kind));
                }
            }
        }
        for (final DevicePaths d : now) {
            if (known.add(d)) {
                listener.deviceAdded(d);
            }
        }
        for (final DevicePaths d : List.copyOf(known)) {
            if (!now.contains(d)) {
                known.remove(d);
                listener.deviceRemoved(d);
            }
        }
    }

    private List<String> list(final String path) {
        try {
            return store.directory(path);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return List.of();
            }
            throw e;
        }
    }

    private static int parseId(final String text, final int max) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        final long v = Long.parseLong(text);
        return v > max ? -1 : (int) v;
    }

    /**
     * The devices currently known.
     *
     * @return a snapshot
     */
    public synchronized Set<DevicePaths> devices() {
        return Set.copyOf(known);
    }

    /** Stops watching. */
    @Override
    public void close() {
        watch.close();
    }
}
