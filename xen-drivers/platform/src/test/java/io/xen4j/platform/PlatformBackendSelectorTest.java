package io.xen4j.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.api.XenHosts;
import io.xen4j.hal.spi.BackendSelector;
import io.xen4j.hal.spi.XenHostProvider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With this module present, {@link XenHosts#open()} chooses through platform detection: the
 * selector is found by {@link java.util.ServiceLoader}, chooses the Linux backend on a Xen domain
 * and refuses elsewhere saying what the machine is.
 */
final class PlatformBackendSelectorTest {
    @TempDir
    Path dir;

    @Test
    void serviceLoadingFindsThePlatformSelector() {
        final List<BackendSelector> selectors = XenHosts.selectors();
        assertEquals(1, selectors.size(), selectors::toString);
        assertTrue(selectors.get(0) instanceof PlatformBackendSelector, selectors::toString);
        assertEquals("platform", selectors.get(0).name());
    }

    @Test
    void onAXenDomainItChoosesLinuxAndElsewhereItSaysWhatTheMachineIs() {
        final List<XenHostProvider> providers = List.of(new Fake("linux", true), new Fake("memory", false));
        assertEquals("linux", new PlatformBackendSelector(FakeRoot.xenDom0(dir.resolve("dom0")).root)
            .selectBackend(providers));
        assertEquals("linux", new PlatformBackendSelector(FakeRoot.xenPvh(dir.resolve("pvh")).root)
            .selectBackend(providers));
        final XenHalException kvm = assertThrows(XenHalException.class,
            () -> new PlatformBackendSelector(FakeRoot.kvm(dir.resolve("kvm")).root).selectBackend(providers));
        assertEquals(Errno.ENODEV, kvm.errno());
        assertTrue(String.valueOf(kvm.getMessage()).contains("not running on Xen: KVM guest"), kvm.getMessage());
        final XenHalException bare = assertThrows(XenHalException.class,
            () -> new PlatformBackendSelector(FakeRoot.bareMetal(dir.resolve("bare")).root).selectBackend(providers));
        assertTrue(String.valueOf(bare.getMessage()).contains("bare metal"), bare.getMessage());
    }

    @Test
    void xenHostsOpenReportsThePlatformOfThisMachineWhenNoBackendFits() {
        final String saved = System.getProperty(XenHosts.BACKEND_PROPERTY);
        System.clearProperty(XenHosts.BACKEND_PROPERTY);
        try {
            // No backend for a live host is on this module's test path, so the platform's refusal
            // (not Xen, or Xen without xen-hal-linux) is what open() throws, with the summary.
            final XenHalException e = assertThrows(XenHalException.class, XenHosts::open);
            assertEquals(Errno.ENODEV, e.errno());
            assertTrue(String.valueOf(e.getMessage()).contains(PlatformDetector.detect().summary()), e.getMessage());
            assertTrue(String.valueOf(e.getMessage()).contains("choose a xen4j HAL backend"), e.getMessage());
        } finally {
            if (saved != null) {
                System.setProperty(XenHosts.BACKEND_PROPERTY, saved);
            }
        }
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
