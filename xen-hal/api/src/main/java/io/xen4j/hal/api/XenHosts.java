package io.xen4j.hal.api;

import io.xen4j.hal.spi.BackendSelector;
import io.xen4j.hal.spi.XenHostProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * Opens a {@link XenHost} through a backend found with {@link ServiceLoader}: by detection
 * ({@link #open()}) or by name ({@link #open(String)}).
 *
 * <p>Detection asks a {@link BackendSelector} when one is present: the {@code xen-platform}
 * module provides one that reads {@code /sys/hypervisor}, {@code /proc/xen} and {@code /dev/xen}
 * and opens the Linux backend on a Xen domain, or refuses saying what the machine is (a KVM guest,
 * bare metal, Xen without the device modules). Without a selector it picks the available provider
 * of highest priority among those that allow it. Simulated backends never allow it, so a program
 * meant for a live Xen host never runs on a simulation by accident. The system property
 * {@value #BACKEND_PROPERTY} names a backend and overrides detection.
 */
public final class XenHosts {
    /** System property naming the backend {@link #open()} uses instead of detecting one. */
    public static final String BACKEND_PROPERTY = "xen4j.hal";

    private static final System.Logger LOG = System.getLogger(XenHosts.class.getName());

    private XenHosts() {
    }

    /**
     * The providers on the module or class path, highest priority first.
     *
     * @return the providers
     */
    public static List<XenHostProvider> providers() {
        return providers(XenHosts.class.getClassLoader());
    }

    /**
     * The backend selectors on the module or class path, highest priority first: platform
     * detection's when the {@code xen-platform} module is present.
     *
     * @return the selectors, often none
     */
    public static List<BackendSelector> selectors() {
        final List<BackendSelector> found = new ArrayList<>();
        for (final BackendSelector s : ServiceLoader.load(BackendSelector.class, XenHosts.class.getClassLoader())) {
            found.add(s);
        }
        found.sort(Comparator.comparingInt(BackendSelector::priority).reversed().thenComparing(BackendSelector::name));
        return found;
    }

    static List<XenHostProvider> providers(final ClassLoader loader) {
        final List<XenHostProvider> found = new ArrayList<>();
        for (final XenHostProvider p : ServiceLoader.load(XenHostProvider.class, loader)) {
            found.add(p);
        }
        found.sort(Comparator.comparingInt(XenHostProvider::priority).reversed()
            .thenComparing(XenHostProvider::name));
        return found;
    }

    /**
     * Opens the host of the domain this program runs in, through the backend named by
     * {@value #BACKEND_PROPERTY}, else the one the highest {@link BackendSelector} chooses (platform
     * detection), else the best detected provider.
     *
     * @return the host
     * @throws XenHalException saying what the selector found, or listing every provider found and
     *                         why each was passed over, when none fits
     */
    public static XenHost open() {
        return open(System.getProperty(BACKEND_PROPERTY), providers(), selectors(), XenHostOptions.NONE);
    }

    static XenHost open(final @Nullable String forced, final List<XenHostProvider> providers,
                        final List<BackendSelector> selectors, final XenHostOptions options) {
        if (forced != null && !forced.isBlank()) {
            return open(providers, forced.trim(), options);
        }
        if (!selectors.isEmpty()) {
            final BackendSelector selector = selectors.get(0);
            final String backend = selector.selectBackend(providers);
            LOG.log(System.Logger.Level.DEBUG, "xen4j HAL: selector {0} chose backend {1}", selector.name(), backend);
            return open(providers, backend, options);
        }
        return open(providers, options);
    }

    static XenHost open(final List<XenHostProvider> providers, final XenHostOptions options) {
        for (final XenHostProvider p : providers) {
            if (p.selectedByDetection() && p.isAvailable()) {
                LOG.log(System.Logger.Level.DEBUG, "xen4j HAL: detected backend {0}", p.name());
                return p.open(options);
            }
        }
        throw new XenHalException("open a xen4j HAL backend by detection", Errno.ENODEV,
            "no backend detected a Xen host; " + describe(providers));
    }

    /**
     * Opens a host through the backend of that name, with no options.
     *
     * @param backend the provider's name, e.g. {@code "memory"} or {@code "linux"}
     * @return the host
     * @throws XenHalException listing the providers found, when none has that name or it is not
     *                         available
     */
    public static XenHost open(final String backend) {
        return open(backend, XenHostOptions.NONE);
    }

    /**
     * Opens a host through the backend of that name.
     *
     * @param backend the provider's name
     * @param options options the backend documents
     * @return the host
     * @throws XenHalException listing the providers found, when none has that name or it is not
     *                         available
     */
    public static XenHost open(final String backend, final XenHostOptions options) {
        return open(providers(), backend, options);
    }

    static XenHost open(final List<XenHostProvider> providers, final String backend, final XenHostOptions options) {
        for (final XenHostProvider p : providers) {
            if (p.name().equals(backend)) {
                if (!p.isAvailable()) {
                    throw new XenHalException("open xen4j HAL backend " + backend, Errno.ENODEV,
                        "not available: " + p.unavailableReason());
                }
                return p.open(options);
            }
        }
        throw new XenHalException("open xen4j HAL backend " + backend, Errno.ENODEV,
            "no provider of that name; " + describe(providers));
    }

    private static String describe(final List<XenHostProvider> providers) {
        if (providers.isEmpty()) {
            return "no providers found: add xen-hal-linux (live Xen) or xen-hal-memory (simulated) to the "
                + "module or class path";
        }
        final StringBuilder sb = new StringBuilder("providers found: ");
        for (int i = 0; i < providers.size(); i++) {
            final XenHostProvider p = providers.get(i);
            sb.append(i == 0 ? "" : ", ").append(p.name()).append(" (priority ").append(p.priority()).append(", ");
            if (!p.isAvailable()) {
                sb.append("not available: ").append(p.unavailableReason());
            } else if (!p.selectedByDetection()) {
                sb.append("available by name only: XenHosts.open(\"").append(p.name()).append("\")");
            } else {
                sb.append("available");
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
