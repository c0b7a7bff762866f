package io.xen4j.hal.spi;

import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;

/**
 * A HAL backend, registered for {@link java.util.ServiceLoader} ({@code provides} in the
 * backend's {@code module-info}, and {@code META-INF/services} for the class path) and found by
 * {@link io.xen4j.hal.api.XenHosts}.
 */
public interface XenHostProvider {
    /**
     * The backend's name, by which users pick it: {@code "linux"}, {@code "memory"}.
     *
     * @return the name
     */
    String name();

    /**
     * Rank among available providers when detecting: the highest wins.
     *
     * @return the priority
     */
    int priority();

    /**
     * Whether the backend can open a host on this machine now (the Linux HAL: the
     * {@code /dev/xen} devices exist and can be opened). Cheap and free of side effects.
     *
     * @return true if {@link #open(XenHostOptions)} can succeed
     */
    boolean isAvailable();

    /**
     * Why {@link #isAvailable()} is false, for error messages.
     *
     * @return the reason, e.g. {@code "/dev/xen/evtchn does not exist: not running on Xen"}
     */
    default String unavailableReason() {
        return "";
    }

    /**
     * Whether {@link io.xen4j.hal.api.XenHosts#open()} may pick this backend by detection. A
     * simulation says no: it is always available and must be asked for by name.
     *
     * @return true for backends over a real hypervisor
     */
    default boolean selectedByDetection() {
        return true;
    }

    /**
     * Opens a host.
     *
     * @param options options this backend documents
     * @return the host, for the domain the backend chooses (the Linux HAL: the one it runs in)
     * @throws io.xen4j.hal.api.XenHalException if opening fails
     */
    XenHost open(XenHostOptions options);
}
