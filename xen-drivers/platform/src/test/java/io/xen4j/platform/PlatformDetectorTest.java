package io.xen4j.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.PlatformInfo;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.spi.XenHostProvider;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection against fake sysfs/procfs trees of each kind of machine, and the HAL choice made from it. */
final class PlatformDetectorTest {
    @TempDir
    Path dir;

    @Test
    void xenDom0() {
        final PlatformReport r = PlatformDetector.detect(FakeRoot.xenDom0(dir).root);
        assertEquals(Hypervisor.XEN, r.hypervisor());
        assertTrue(r.onXen());
        assertEquals(GuestType.PV, r.guestType());
        assertTrue(r.controlDomain());
        assertEquals("4.17.2", r.version());
        assertEquals("7b9f6c4e-1d2a-4b7e-9c1f-0123456789ab", r.uuid());
        assertEquals("4096", r.properties().get("pagesize"));
        assertEquals("xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_64", r.properties().get("capabilities"));
        assertNull(r.platformPciDevice());
        assertEquals(EnumSet.allOf(DevXenNode.class), r.devXen());
        assertEquals("Xen 4.17.2 PV control domain (dom0), /dev/xen: evtchn gntdev gntalloc privcmd hypercall xenbus"
            + " xenbus_backend", r.summary());
        final PlatformInfo info = r.toPlatformInfo(0);
        assertTrue(info.initialDomain());
        assertEquals(4 << 16 | 17, info.packedVersion());
    }

    @Test
    void xenHvmGuest() {
        final PlatformReport r = PlatformDetector.detect(FakeRoot.xenHvm(dir).root);
        assertEquals(Hypervisor.XEN, r.hypervisor());
        assertEquals(GuestType.HVM, r.guestType());
        assertFalse(r.controlDomain());
        assertEquals("4.19-rc", r.version());
        assertEquals("0000:00:02.0", r.platformPciDevice());
        assertTrue(r.cpuHypervisorFlag());
        assertFalse(r.has(DevXenNode.XENBUS_BACKEND));
        assertTrue(r.summary().startsWith("Xen 4.19-rc HVM guest (platform PCI device 0000:00:02.0)"), r.summary());
    }

    @Test
    void xenPvGuest() {
        final PlatformReport r = PlatformDetector.detect(FakeRoot.xenPv(dir).root);
        assertEquals(Hypervisor.XEN, r.hypervisor());
        assertEquals(GuestType.PV, r.guestType());
        assertFalse(r.controlDomain());
        assertFalse(r.cpuHypervisorFlag());
        assertEquals(Set.of(DevXenNode.EVTCHN, DevXenNode.PRIVCMD, DevXenNode.XENBUS), r.devXen());
    }

    @Test
    void xenPvhGuest() {
        final PlatformReport r = PlatformDetector.detect(FakeRoot.xenPvh(dir).root);
        assertEquals(GuestType.PVH, r.guestType());
        assertNull(r.platformPciDevice());
        assertEquals("4.18.0", r.version());
    }

    @Test
    void kvmGuest() {
        final PlatformReport r = PlatformDetector.detect(FakeRoot.kvm(dir).root);
        assertEquals(Hypervisor.KVM, r.hypervisor());
        assertFalse(r.onXen());
        assertEquals(GuestType.NONE, r.guestType());
        assertEquals("none", r.version());
        assertTrue(r.devXen().isEmpty());
        assertEquals("KVM guest, not Xen, /dev/xen: none", r.summary());
    }

    @Test
    void bareMetal() {
        final PlatformReport r = PlatformDetector.detect(FakeRoot.bareMetal(dir).root);
        assertEquals(Hypervisor.NONE, r.hypervisor());
        assertFalse(r.cpuHypervisorFlag());
        assertEquals("no hypervisor detected (bare metal), /dev/xen: none", r.summary());
    }

    @Test
    void anEmptyRootIsBareMetal() {
        final PlatformReport r = PlatformDetector.detect(dir.resolve("does-not-exist"));
        assertEquals(Hypervisor.NONE, r.hypervisor());
        assertEquals(GuestType.NONE, r.guestType());
    }

    @Test
    void anOldHvmKernelWithoutGuestTypeIsFoundByItsPlatformDevice() {
        final FakeRoot f = new FakeRoot(dir).cpuinfo(true).pci("0000:00:03.0", "5853", "1");
        final PlatformReport r = PlatformDetector.detect(f.root);
        assertEquals(Hypervisor.XEN, r.hypervisor());
        assertEquals(GuestType.HVM, r.guestType());
        assertEquals("unknown", r.version());
        assertFalse(r.versionKnown());
    }

    @Test
    void anOldPvKernelWithoutGuestTypeIsPv() {
        final FakeRoot f = new FakeRoot(dir).file("sys/hypervisor/type", "xen\n").file("proc/xen/capabilities", "");
        assertEquals(GuestType.PV, PlatformDetector.detect(f.root).guestType());
    }

    @Test
    void strangeFilesAreIgnoredNotFatal() {
        final FakeRoot f = FakeRoot.xenPv(dir)
            .file("sys/hypervisor/guest_type", "Martian\n")
            .file("sys/hypervisor/version/major", "four\n")
            .file("sys/hypervisor/version/minor", "-1\n")
            .file("sys/hypervisor/uuid", "x".repeat(100_000))
            .pci("0000:00:05.0", "0x5853zz", "0x0001")
            .pci("0000:00:06.0", "", "")
            .pci("0000:00:07.0", "0x123456789", "0x0001");
        final PlatformReport r = PlatformDetector.detect(f.root);
        assertEquals(Hypervisor.XEN, r.hypervisor());
        assertEquals(GuestType.PV, r.guestType());
        assertFalse(r.versionKnown());
        assertEquals(PlatformDetector.MAX_FILE_BYTES, r.uuid().length());
        assertNull(r.platformPciDevice());
        assertTrue(r.evidence().stream().anyMatch(s -> s.contains("unknown value \"Martian\"")), r.evidence().toString());
    }

    @Test
    void dom0DependsOnControlDNotOnOtherCapabilities() {
        final FakeRoot f = FakeRoot.xenPv(dir).file("proc/xen/capabilities", "not_control_d\n");
        assertFalse(PlatformDetector.detect(f.root).controlDomain());
    }

    @Test
    void choosesTheLinuxBackendOnXenWithDevices() {
        final List<XenHostProvider> providers = List.of(new Fake("linux", true), new Fake("memory", false));
        assertEquals("linux", PlatformHosts.chooseBackend(PlatformDetector.detect(FakeRoot.xenHvm(dir).root), providers));
    }

    @Test
    void refusesAKvmGuestSayingWhatItIs() {
        final List<XenHostProvider> providers = List.of(new Fake("linux", true), new Fake("memory", false));
        final XenHalException e = assertThrows(XenHalException.class,
            () -> PlatformHosts.chooseBackend(PlatformDetector.detect(FakeRoot.kvm(dir).root), providers));
        assertTrue(String.valueOf(e.getMessage()).contains("not running on Xen: KVM guest"), String.valueOf(e.getMessage()));
        assertTrue(String.valueOf(e.getMessage()).contains("XenHosts.open(\"memory\")"), String.valueOf(e.getMessage()));
    }

    @Test
    void refusesXenWithoutDeviceNodes() {
        final FakeRoot f = new FakeRoot(dir).xenSysfs("PVH", 4, 18, "").file("proc/xen/capabilities", "");
        final XenHalException e = assertThrows(XenHalException.class,
            () -> PlatformHosts.chooseBackend(PlatformDetector.detect(f.root), List.of(new Fake("linux", true))));
        assertTrue(String.valueOf(e.getMessage()).contains("load xen-privcmd"), String.valueOf(e.getMessage()));
    }

    @Test
    void neverChoosesTheSimulationForALiveHost() {
        final XenHalException e = assertThrows(XenHalException.class,
            () -> PlatformHosts.chooseBackend(PlatformDetector.detect(FakeRoot.xenDom0(dir).root), List.of(new Fake("memory", false))));
        assertTrue(String.valueOf(e.getMessage()).contains("add xen-hal-linux"), String.valueOf(e.getMessage()));
    }

    /** A provider that is never opened. */
    private record Fake(String name, boolean selectedByDetection) implements XenHostProvider {
        @Override
        public int priority() {
            return 0;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public XenHost open(final XenHostOptions options) {
            throw new UnsupportedOperationException("not opened in this test");
        }
    }
}
