package io.xen4j.hal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.spi.BackendSelector;
import io.xen4j.hal.spi.XenHostProvider;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link XenHosts#open()} chooses a backend: with no {@link BackendSelector} (this module
 * alone, no {@code xen-platform}) as before, by the highest provider that allows detection; with
 * one, by its choice; a forced backend overrides both.
 */
final class XenHostsSelectionTest {
    private final List<String> asked = new ArrayList<>();

    @Test
    void withoutThePlatformModuleThereIsNoSelectorAndDetectionPicksTheBestProvider() {
        assertEquals(List.of(), XenHosts.selectors(), "nothing in xen-hal itself provides a selector");
        final List<XenHostProvider> providers = List.of(provider("live", 10, true), provider("other", 5, true),
            provider("memory", -100, false));
        assertEquals("live", XenHosts.open(null, providers, List.of(), XenHostOptions.NONE).backendName());
        final XenHalException e = assertThrows(XenHalException.class,
            () -> XenHosts.open(" ", List.of(provider("memory", -100, false)), List.of(), XenHostOptions.NONE));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(String.valueOf(e.getMessage()).contains("no backend detected a Xen host"), e.getMessage());
    }

    @Test
    void aSelectorChoosesEvenAgainstPriority() {
        final List<XenHostProvider> providers = List.of(provider("live", 10, true), provider("other", 5, true));
        final XenHost host = XenHosts.open(null, providers, List.of(selector("platform", 0, "other")),
            XenHostOptions.NONE);
        assertEquals("other", host.backendName());
        assertEquals(List.of("platform"), asked);
    }

    @Test
    void theSelectorsRefusalIsTheError() {
        final XenHalException refusal = new XenHalException("choose a xen4j HAL backend", Errno.ENODEV,
            "not running on Xen: KVM guest, not Xen");
        final BackendSelector refusing = new BackendSelector() {
            @Override
            public String name() {
                return "platform";
            }

            @Override
            public String selectBackend(final List<XenHostProvider> providers) {
                throw refusal;
            }
        };
        assertSame(refusal, assertThrows(XenHalException.class,
            () -> XenHosts.open(null, List.of(provider("live", 10, true)), List.of(refusing), XenHostOptions.NONE)));
    }

    @Test
    void aChoiceOfAnUnknownOrUnavailableBackendListsTheProviders() {
        final List<XenHostProvider> providers = List.of(provider("live", 10, true));
        final XenHalException unknown = assertThrows(XenHalException.class,
            () -> XenHosts.open(null, providers, List.of(selector("s", 0, "linux")), XenHostOptions.NONE));
        assertTrue(String.valueOf(unknown.getMessage()).contains("no provider of that name; providers found: live"),
            unknown.getMessage());
        final XenHostProvider down = new Fake("linux", 10, true, false);
        final XenHalException unavailable = assertThrows(XenHalException.class,
            () -> XenHosts.open(null, List.of(down), List.of(selector("s", 0, "linux")), XenHostOptions.NONE));
        assertTrue(String.valueOf(unavailable.getMessage()).contains("not available: linux is down"),
            unavailable.getMessage());
    }

    @Test
    void aForcedBackendOverridesTheSelectorWhichIsNotAsked() {
        final List<XenHostProvider> providers = List.of(provider("live", 10, true), provider("memory", -100, false));
        assertEquals("memory", XenHosts.open(" memory ", providers, List.of(selector("platform", 0, "live")),
            XenHostOptions.NONE).backendName());
        assertEquals(List.of(), asked);
    }

    @Test
    void onlyTheFirstSelectorIsAsked() {
        final List<XenHostProvider> providers = List.of(provider("a", 1, true), provider("b", 1, true));
        assertEquals("b", XenHosts.open(null, providers, List.of(selector("high", 5, "b"), selector("low", 1, "a")),
            XenHostOptions.NONE).backendName());
        assertEquals(List.of("high"), asked);
    }

    private BackendSelector selector(final String name, final int priority, final String choice) {
        return new BackendSelector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public String selectBackend(final List<XenHostProvider> providers) {
                asked.add(name);
                return choice;
            }
        };
    }

    private static XenHostProvider provider(final String name, final int priority, final boolean detect) {
        return new Fake(name, priority, detect, true);
    }

    /** A provider whose host only knows its backend's name. */
    private record Fake(String name, int priority, boolean selectedByDetection, boolean isAvailable)
        implements XenHostProvider {
        @Override
        public String unavailableReason() {
            return name + " is down";
        }

        @Override
        public XenHost open(final XenHostOptions options) {
            return (XenHost) Proxy.newProxyInstance(XenHost.class.getClassLoader(), new Class<?>[] {XenHost.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("backendName")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        }
    }
}
