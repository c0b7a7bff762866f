package io.xen4j.hal.linux.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the Linux HAL finds the Xen devices and the platform facts. The defaults are the real
 * ones; tests point them at folders of their own.
 *
 * @param devXen        the device folder, {@code /dev/xen}
 * @param sysHypervisor the hypervisor's sysfs folder, {@code /sys/hypervisor}
 * @param procXen       xenfs, {@code /proc/xen}
 */
public record LinuxPaths(Path devXen, Path sysHypervisor, Path procXen) {
    /** The real paths. */
    public static final LinuxPaths DEFAULT =
        new LinuxPaths(Path.of("/dev/xen"), Path.of("/sys/hypervisor"), Path.of("/proc/xen"));

    /** The devices the HAL uses. */
    public enum Device {
        /** {@code evtchn}: event channels. */
        EVTCHN("evtchn", Libc.O_RDWR | Libc.O_NONBLOCK),
        /** {@code gntalloc}: sharing this domain's pages. */
        GNTALLOC("gntalloc", Libc.O_RDWR),
        /** {@code gntdev}: mapping and copying other domains' grants. */
        GNTDEV("gntdev", Libc.O_RDWR),
        /** {@code privcmd}: hypercalls and foreign mappings. */
        PRIVCMD("privcmd", Libc.O_RDWR),
        /** {@code hypercall}: buffers the kernel lets the hypervisor access during a hypercall. */
        HYPERCALL("hypercall", Libc.O_RDWR),
        /** {@code xenbus}: the xenstore connection of a process. */
        XENBUS("xenbus", Libc.O_RDWR);

        private final String file;
        private final int flags;

        Device(final String file, final int flags) {
            this.file = file;
            this.flags = flags;
        }

        /**
         * The file name under {@code /dev/xen}.
         *
         * @return e.g. {@code "evtchn"}
         */
        public String file() {
            return file;
        }

        /**
         * The {@code open} flags.
         *
         * @return {@code O_*} flags
         */
        public int flags() {
            return flags;
        }
    }

    /**
     * The path of a device.
     *
     * @param device the device
     * @return e.g. {@code /dev/xen/evtchn}
     */
    public Path path(final Device device) {
        return devXen.resolve(device.file());
    }

    /**
     * Whether a device exists (without opening it).
     *
     * @param device the device
     * @return true if its file exists
     */
    public boolean exists(final Device device) {
        return Files.exists(path(device));
    }
}
