package io.xen4j.platform;

import io.xen4j.hal.spi.BackendSelector;
import io.xen4j.hal.spi.XenHostProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Platform detection as {@link io.xen4j.hal.api.XenHosts#open()}'s choice: registered for
 * {@link java.util.ServiceLoader} ({@code provides} in this module's {@code module-info} and
 * {@code META-INF/services} for the class path), so that with this module present
 * {@code XenHosts.open()} detects the platform ({@link PlatformDetector}) and opens the backend
 * {@link PlatformHosts#chooseBackend} calls for, or refuses saying what the machine is.
 */
public final class PlatformBackendSelector implements BackendSelector {
    private final Path root;

    /** Creates the selector over the running system ({@code /}), as {@link java.util.ServiceLoader} does. */
    public PlatformBackendSelector() {
        this(Path.of("/"));
    }

    /**
     * Creates a selector over the files under a root directory (a fake tree in tests).
     *
     * @param root the directory holding {@code sys}, {@code proc} and {@code dev}
     */
    public PlatformBackendSelector(final Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    @Override
    public String name() {
        return "platform";
    }

    @Override
    public String selectBackend(final List<XenHostProvider> providers) {
        return PlatformHosts.chooseBackend(PlatformDetector.detect(root), providers);
    }

    @Override
    public String toString() {
        return "PlatformBackendSelector(" + root + ")";
    }
}
