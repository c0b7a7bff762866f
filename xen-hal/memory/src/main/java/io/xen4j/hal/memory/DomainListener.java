package io.xen4j.hal.memory;

/**
 * Hears about domains coming and going: the seam through which the in-memory xenstored (a later
 * part of this module) introduces domains ({@code @introduceDomain}) and releases them
 * ({@code @releaseDomain}), and tests observe destruction. Called with no lock held, on the
 * thread that created or destroyed the domain.
 */
public interface DomainListener {
    /**
     * A domain was created and is running.
     *
     * @param domain the domain
     */
    default void domainCreated(final SimulatedDomain domain) {
    }

    /**
     * A domain was destroyed: its resources are released or, if peers still map its pages, it is
     * {@link DomainState#DYING}. Xen raises {@code VIRQ_DOM_EXC} to dom0 at the same time.
     *
     * @param domain the domain
     */
    default void domainDestroyed(final SimulatedDomain domain) {
    }
}
