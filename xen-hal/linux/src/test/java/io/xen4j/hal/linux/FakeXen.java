package io.xen4j.hal.linux;

import io.xen4j.hal.api.XenHostOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder that looks like a Xen domain's {@code /dev/xen}, {@code /sys/hypervisor} and
 * {@code /proc/xen}, with every device a link to {@code /dev/null}: opening works, every ioctl
 * fails with {@code ENOTTY}. For the tests that run without Xen.
 */
final class FakeXen {
    final Path root;

    FakeXen(final Path root, final boolean controlDomain, final String... devices) throws IOException {
        this.root = root;
        final Path dev = Files.createDirectories(root.resolve("dev/xen"));
        for (final String d : devices) {
            Files.createSymbolicLink(dev.resolve(d), Path.of("/dev/null"));
        }
        final Path sys = Files.createDirectories(root.resolve("sys/hypervisor/version"));
        write(root.resolve("sys/hypervisor/type"), "xen\n");
        write(root.resolve("sys/hypervisor/guest_type"), "PV\n");
        write(sys.resolve("major"), "4\n");
        write(sys.resolve("minor"), "17\n");
        write(sys.resolve("extra"), ".7\n");
        Files.createDirectories(root.resolve("proc/xen"));
        write(root.resolve("proc/xen/capabilities"), controlDomain ? "control_d\n" : "\n");
    }

    static FakeXen dom0(final Path root) throws IOException {
        return new FakeXen(root, true, "evtchn", "gntalloc", "gntdev", "privcmd");
    }

    private static void write(final Path file, final String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    Path dev(final String name) {
        return root.resolve("dev/xen").resolve(name);
    }

    XenHostOptions options() {
        return optionsFor(root);
    }

    static XenHostOptions optionsFor(final Path root) {
        return XenHostOptions.NONE
            .with(LinuxXenHost.OPTION_DEV_XEN, root.resolve("dev/xen").toString())
            .with(LinuxXenHost.OPTION_SYS_HYPERVISOR, root.resolve("sys/hypervisor").toString())
            .with(LinuxXenHost.OPTION_PROC_XEN, root.resolve("proc/xen").toString());
    }
}
