package io.xen4j.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fake sysfs/procfs/dev tree under a temporary directory, built as each kind of machine shows it. */
final class FakeRoot {
    final Path root;

    FakeRoot(final Path root) {
        this.root = root;
    }

    FakeRoot file(final String relative, final String content) {
        try {
            final Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.US_ASCII);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeRoot cpuinfo(final boolean hypervisor) {
        return file("proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Fake CPU\n"
            + "flags\t\t: fpu vme de pse tsc msr pae" + (hypervisor ? " hypervisor" : "") + " lahf_lm\n\n"
            + "processor\t: 1\nflags\t\t: fpu\n");
    }

    FakeRoot pci(final String address, final String vendor, final String device) {
        return file("sys/bus/pci/devices/" + address + "/vendor", vendor + "\n")
            .file("sys/bus/pci/devices/" + address + "/device", device + "\n");
    }

    FakeRoot xenSysfs(final String guestType, final int major, final int minor, final String extra) {
        file("sys/hypervisor/type", "xen\n")
            .file("sys/hypervisor/uuid", "7b9f6c4e-1d2a-4b7e-9c1f-0123456789ab\n")
            .file("sys/hypervisor/version/major", major + "\n")
            .file("sys/hypervisor/version/minor", minor + "\n")
            .file("sys/hypervisor/version/extra", extra + "\n")
            .file("sys/hypervisor/properties/capabilities", "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_64\n")
            .file("sys/hypervisor/properties/changeset", "Tue Oct 1 12:00:00 2024 git:deadbeef\n")
            .file("sys/hypervisor/properties/pagesize", "4096\n")
            .file("sys/hypervisor/properties/features", "00002705\n");
        if (!guestType.isEmpty()) {
            file("sys/hypervisor/guest_type", guestType + "\n");
        }
        return this;
    }

    FakeRoot devXen(final String... names) {
        for (final String n : names) {
            file("dev/xen/" + n, "");
        }
        return this;
    }

    /** dom0 of Xen 4.17.2: PV, control_d, every device node. */
    static FakeRoot xenDom0(final Path dir) {
        return new FakeRoot(dir).xenSysfs("PV", 4, 17, ".2").cpuinfo(true)
            .file("proc/xen/capabilities", "control_d\n")
            .pci("0000:00:00.0", "0x8086", "0x1237")
            .devXen("evtchn", "gntdev", "gntalloc", "privcmd", "hypercall", "xenbus", "xenbus_backend");
    }

    /** An HVM guest: Xen firmware, the platform PCI device at 00:02.0, empty capabilities. */
    static FakeRoot xenHvm(final Path dir) {
        return new FakeRoot(dir).xenSysfs("HVM", 4, 19, "-rc").cpuinfo(true)
            .file("proc/xen/capabilities", "\n")
            .file("sys/class/dmi/id/sys_vendor", "Xen\n")
            .file("sys/class/dmi/id/product_name", "HVM domU\n")
            .pci("0000:00:00.0", "0x8086", "0x1237")
            .pci("0000:00:01.0", "0x8086", "0x7000")
            .pci("0000:00:02.0", "0x5853", "0x0001")
            .devXen("evtchn", "gntdev", "gntalloc", "privcmd", "xenbus");
    }

    /** A PV guest: no PCI bus, no DMI, no hypervisor CPU flag (a PV kernel's CPUID is filtered). */
    static FakeRoot xenPv(final Path dir) {
        return new FakeRoot(dir).xenSysfs("PV", 4, 16, ".5").cpuinfo(false)
            .file("proc/xen/capabilities", "")
            .devXen("evtchn", "privcmd", "xenbus");
    }

    /** A PVH guest: no emulated devices, guest_type says it. */
    static FakeRoot xenPvh(final Path dir) {
        return new FakeRoot(dir).xenSysfs("PVH", 4, 18, ".0").cpuinfo(true)
            .devXen("evtchn", "gntdev", "gntalloc", "privcmd", "xenbus");
    }

    /** A KVM guest on QEMU: kvm-clock, QEMU's PCI devices, no Xen files. */
    static FakeRoot kvm(final Path dir) {
        return new FakeRoot(dir).cpuinfo(true)
            .file("sys/class/dmi/id/sys_vendor", "QEMU\n")
            .file("sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n")
            .file("sys/devices/system/clocksource/clocksource0/available_clocksource", "kvm-clock tsc acpi_pm \n")
            .pci("0000:00:00.0", "0x8086", "0x29c0")
            .pci("0000:00:01.0", "0x1af4", "0x1041");
    }

    /** Bare metal: a real board, no hypervisor flag. */
    static FakeRoot bareMetal(final Path dir) {
        return new FakeRoot(dir).cpuinfo(false)
            .file("sys/class/dmi/id/sys_vendor", "Dell Inc.\n")
            .file("sys/class/dmi/id/product_name", "PowerEdge R650\n")
            .file("sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm \n")
            .pci("0000:00:00.0", "0x8086", "0x09a2");
    }
}
