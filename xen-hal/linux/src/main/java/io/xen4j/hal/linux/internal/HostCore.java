package io.xen4j.hal.linux.internal;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.linux.LinuxXenException;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The state of one Linux HAL host: which domain it is, the device files it opened (lazily, on
 * first use, as a process would), and every handle it handed out, which {@link #close()} closes.
 */
public final class HostCore {
    private final LinuxPaths paths;
    private final PlatformFacts facts;
    private final int domid;
    private final EnumMap<Device, DeviceFile> devices = new EnumMap<>(Device.class);
    private final Set<HalHandle> handles = ConcurrentHashMap.newKeySet();
    private final List<Runnable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * Creates the state.
     *
     * @param paths where the devices are
     * @param facts the platform facts
     * @param domid this domain's id
     */
    public HostCore(final LinuxPaths paths, final PlatformFacts facts, final int domid) {
        this.paths = paths;
        this.facts = facts;
        this.domid = domid;
    }

    /**
     * Where the devices are.
     *
     * @return the paths
     */
    public LinuxPaths paths() {
        return paths;
    }

    /**
     * The platform facts read at open.
     *
     * @return the facts
     */
    public PlatformFacts facts() {
        return facts;
    }

    /**
     * This domain's id.
     *
     * @return the id
     */
    public int domid() {
        return domid;
    }

    /**
     * Throws if the host is closed.
     *
     * @param operation what was attempted
     * @throws XenHalException with {@link Errno#EBADF}
     */
    public void checkUsable(final String operation) {
        if (closed) {
            throw new XenHalException(operation, Errno.EBADF, "the Linux HAL host of dom" + domid + " is closed");
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The open device file, opened on first use.
     *
     * @param device    the device
     * @param operation what it is needed for, for messages
     * @return the open file
     * @throws LinuxXenException naming the path when it cannot be opened
     * @throws XenHalException   when the host is closed
     */
    public DeviceFile device(final Device device, final String operation) {
        synchronized (devices) {
            checkUsable(operation);
            DeviceFile f = devices.get(device);
            if (f == null) {
                f = DeviceFile.open(operation, paths.path(device).toString(), device.flags());
                devices.put(device, f);
            }
            return f;
        }
    }

    /**
     * The device file if it is open.
     *
     * @param device the device
     * @return the file, or null when it was never opened
     */
    public @Nullable DeviceFile openedDevice(final Device device) {
        synchronized (devices) {
            return devices.get(device);
        }
    }

    /**
     * Records a handle so that closing the host closes it.
     *
     * @param handle the handle
     */
    public void register(final HalHandle handle) {
        handles.add(handle);
        if (closed) {
            // Lost a race with close(): the host must not leave it open.
            handle.closeQuietly();
        }
    }

    void unregister(final HalHandle handle) {
        handles.remove(handle);
    }

    /**
     * The handles open now.
     *
     * @return how many
     */
    public int handleCount() {
        return handles.size();
    }

    /**
     * Runs something when the host closes, after its handles and before its devices.
     *
     * @param hook what to run
     */
    public void onClose(final Runnable hook) {
        closeHooks.add(hook);
    }

    /**
     * Makes a hypercall through privcmd.
     *
     * @param operation what it is for, for messages
     * @param op        the hypercall number
     * @param args      up to five arguments
     * @return the non-negative result
     * @throws LinuxXenException with the hypercall's errno
     */
    public long hypercall(final String operation, final int op, final long... args) {
        return Hypercall.call(this, operation, op, args);
    }

    /**
     * Closes every handle (mappings and shares first, then event channels), then the devices.
     * Closing twice is harmless.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        final List<HalHandle> open = new ArrayList<>(handles);
        open.sort(Comparator.comparingInt(HalHandle::closeRank));
        RuntimeException failure = null;
        for (final HalHandle h : open) {
            try {
                h.closeQuietly();
            } catch (final RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        for (final Runnable hook : closeHooks) {
            try {
                hook.run();
            } catch (final RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        synchronized (devices) {
            for (final DeviceFile f : devices.values()) {
                f.close();
            }
            devices.clear();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
