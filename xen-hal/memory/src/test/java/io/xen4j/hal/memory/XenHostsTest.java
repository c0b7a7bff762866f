package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.api.XenHosts;
import io.xen4j.hal.spi.XenHostProvider;
import org.junit.jupiter.api.Test;

/**
 * The simulated host as a ServiceLoader backend: found by name, never by detection.
 */
final class XenHostsTest {
    @Test
    void theMemoryProviderIsFoundByServiceLoader() {
        final XenHostProvider p = XenHosts.providers().stream().filter(x -> x.name().equals("memory")).findFirst()
            .orElseThrow();
        assertTrue(p.isAvailable());
        assertFalse(p.selectedByDetection());
    }

    @Test
    void openByNameGivesDom0OfAFreshSimulatedHost() {
        final XenHost host = XenHosts.open("memory", XenHostOptions.NONE.with("seed", "7"));
        try {
            assertEquals("memory", host.backendName());
            assertEquals(0, host.domid());
            assertTrue(host.platform().privileged());
            assertTrue(host.platform().initialDomain());
        } finally {
            host.close();
        }
        assertTrue(host.isClosed());
    }

    @Test
    void detectionNeverPicksTheSimulationAndSaysWhy() {
        final String saved = System.getProperty(XenHosts.BACKEND_PROPERTY);
        System.clearProperty(XenHosts.BACKEND_PROPERTY);
        try {
            final XenHalException e = assertThrows(XenHalException.class, XenHosts::open);
            assertEquals(Errno.ENODEV, e.errno());
            assertTrue(String.valueOf(e.getMessage()).contains("memory (priority -100, available by name only: XenHosts.open(\"memory\"))"),
                e.getMessage());
        } finally {
            if (saved != null) {
                System.setProperty(XenHosts.BACKEND_PROPERTY, saved);
            }
        }
    }

    @Test
    void theSystemPropertyPicksABackendByName() {
        final String saved = System.getProperty(XenHosts.BACKEND_PROPERTY);
        System.setProperty(XenHosts.BACKEND_PROPERTY, "memory");
        try (XenHost host = XenHosts.open()) {
            assertEquals("memory", host.backendName());
        } finally {
            if (saved == null) {
                System.clearProperty(XenHosts.BACKEND_PROPERTY);
            } else {
                System.setProperty(XenHosts.BACKEND_PROPERTY, saved);
            }
        }
    }

    @Test
    void anUnknownBackendListsTheProvidersFound() {
        final XenHalException e = assertThrows(XenHalException.class, () -> XenHosts.open("nope"));
        assertTrue(String.valueOf(e.getMessage()).contains("open xen4j HAL backend nope"), e.getMessage());
        assertTrue(String.valueOf(e.getMessage()).contains("providers found: memory"), e.getMessage());
    }

    @Test
    void aBadOptionIsNamed() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> XenHosts.open("memory", XenHostOptions.NONE.with("seed", "x")));
        assertTrue(String.valueOf(e.getMessage()).contains("seed=x"), e.getMessage());
    }
}
