package io.xen4j.hal.memory;

import io.xen4j.hal.api.GuestType;
import java.util.Objects;

/**
 * How a simulated domain is built.
 *
 * @param name         its name, for messages ({@code "Domain-0"}, {@code "guest1"})
 * @param privileged   whether it may map other domains' memory and make platform operations
 *                     (dom0, or a driver domain trusted that way)
 * @param guestType    how it is virtualised
 * @param vcpus        its vCPU count, at least 1
 * @param maxPages     its maximum reservation, in 4 KiB pages
 * @param initialPages pages populated at creation, at most {@code maxPages}
 */
public record DomainConfig(
    String name, boolean privileged, GuestType guestType, int vcpus, long maxPages, long initialPages) {

    /** Default maximum reservation: 64 MiB. Pages cost memory only once touched. */
    public static final long DEFAULT_MAX_PAGES = 16_384;
    /** Default initial reservation: 32 MiB. */
    public static final long DEFAULT_INITIAL_PAGES = 8_192;

    /**
     * Checks the values.
     *
     * @param name         its name
     * @param privileged   whether it is privileged
     * @param guestType    how it is virtualised
     * @param vcpus        its vCPU count
     * @param maxPages     its maximum reservation
     * @param initialPages its initial reservation
     */
    public DomainConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guestType, "guestType");
        if (guestType == GuestType.NONE) {
            throw new IllegalArgumentException("guestType=NONE: a simulated domain runs on Xen");
        }
        if (vcpus < 1 || maxPages < 1 || initialPages < 0 || initialPages > maxPages || maxPages > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("vcpus=" + vcpus + " maxPages=" + maxPages + " initialPages=" + initialPages
                + ": need vcpus >= 1, 1 <= maxPages <= " + Integer.MAX_VALUE / 4 + ", 0 <= initialPages <= maxPages");
        }
    }

    /**
     * An unprivileged PVH guest with the default memory and one vCPU.
     *
     * @param name its name
     * @return the configuration
     */
    public static DomainConfig guest(final String name) {
        return new DomainConfig(name, false, GuestType.PVH, 1, DEFAULT_MAX_PAGES, DEFAULT_INITIAL_PAGES);
    }

    /**
     * A privileged PV domain with the default memory and one vCPU, like dom0.
     *
     * @param name its name
     * @return the configuration
     */
    public static DomainConfig privileged(final String name) {
        return new DomainConfig(name, true, GuestType.PV, 1, DEFAULT_MAX_PAGES, DEFAULT_INITIAL_PAGES);
    }

    /**
     * This configuration with other memory sizes.
     *
     * @param maxPages     the maximum reservation
     * @param initialPages the initial reservation
     * @return the new configuration
     */
    public DomainConfig withPages(final long maxPages, final long initialPages) {
        return new DomainConfig(name, privileged, guestType, vcpus, maxPages, initialPages);
    }

    /**
     * This configuration with another vCPU count.
     *
     * @param count the vCPUs
     * @return the new configuration
     */
    public DomainConfig withVcpus(final int count) {
        return new DomainConfig(name, privileged, guestType, count, maxPages, initialPages);
    }

    /**
     * This configuration with another guest type.
     *
     * @param type the guest type
     * @return the new configuration
     */
    public DomainConfig withGuestType(final GuestType type) {
        return new DomainConfig(name, privileged, type, vcpus, maxPages, initialPages);
    }
}
