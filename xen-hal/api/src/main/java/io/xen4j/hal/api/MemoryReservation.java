package io.xen4j.hal.api;

/**
 * The domain's memory reservation ({@code XENMEM_increase_reservation},
 * {@code XENMEM_decrease_reservation}, {@code XENMEM_current_reservation},
 * {@code XENMEM_maximum_reservation}): what a balloon driver uses to give pages back to the
 * hypervisor and take them again. The target it balloons towards comes from xenstore
 * ({@code memory/target}), not from here.
 */
public interface MemoryReservation {
    /**
     * Pages the domain holds now.
     *
     * @return the current reservation, in pages
     */
    long currentPages();

    /**
     * Pages the domain may hold at most.
     *
     * @return the maximum reservation, in pages
     */
    long maximumPages();

    /**
     * Populates frames of the domain, taking pages from the hypervisor ({@code XENMEM_populate_physmap}
     * as the balloon uses it). Stops at the first frame it cannot populate.
     *
     * @param gfns  the guest frames to populate
     * @param count how many of them, from the start
     * @return how many were populated: fewer than {@code count} when the maximum reservation or
     *         the host's memory is reached, or a frame is already populated
     */
    int increaseReservation(long[] gfns, int count);

    /**
     * Gives frames back to the hypervisor ({@code XENMEM_decrease_reservation}). Stops at the first
     * frame it cannot release.
     *
     * @param gfns  the guest frames to release
     * @param count how many of them, from the start
     * @return how many were released: fewer than {@code count} when a frame is not populated or is
     *         in use (granted or mapped)
     */
    int decreaseReservation(long[] gfns, int count);
}
