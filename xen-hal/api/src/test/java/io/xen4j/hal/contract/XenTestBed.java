package io.xen4j.hal.contract;

import io.xen4j.hal.api.XenHost;
import java.util.Map;

/**
 * What a HAL backend gives the contract suites: three domains and a few powers over the world
 * that the HAL itself does not have. The simulated host implements all of it; a live Linux host
 * implements what it can and says so, and the tests that need the rest are skipped.
 */
public interface XenTestBed extends AutoCloseable {
    /**
     * The host of a privileged domain (dom0 or a driver domain).
     *
     * @return the host
     */
    XenHost privileged();

    /**
     * The host of an unprivileged guest, another domain than {@link #privileged()}.
     *
     * @return the host
     */
    XenHost guest();

    /**
     * The host of a third domain, unprivileged, for the cases where a grant or port names another
     * domain than the one that uses it.
     *
     * @return the host
     */
    XenHost other();

    /**
     * Moves Xen time forward at least this much: the simulated host advances its clock, a live
     * host waits.
     *
     * @param nanos how long
     */
    void advanceTime(long nanos);

    /**
     * Whether {@link #raiseVirq(XenHost, int)} works here.
     *
     * @return true if the bed can raise VIRQs
     */
    default boolean canRaiseVirq() {
        return false;
    }

    /**
     * Raises a VIRQ on a domain, as the hypervisor would.
     *
     * @param host the domain's host
     * @param virq the VIRQ
     */
    default void raiseVirq(final XenHost host, final int virq) {
        throw new UnsupportedOperationException("this test bed cannot raise VIRQs");
    }

    /**
     * A VIRQ that no one has bound in {@link #guest()}, which a program may bind.
     *
     * @return the VIRQ number
     */
    int unusedVirq();

    /**
     * Guest frame numbers of {@link #guest()} that are not populated, which its balloon could
     * populate; at least {@code count} of them.
     *
     * @param count how many
     * @return the frames
     */
    long[] unpopulatedGuestFrames(int count);

    /**
     * A guest frame of {@link #guest()} that is populated, to map from the privileged domain.
     *
     * @return the frame number
     */
    long populatedGuestFrame();

    /**
     * What every domain of the bed holds, by name (grant references, mappings, ports, ...), for
     * leak checks: it must be equal before and after a test's balanced work.
     *
     * @return counts by name
     */
    Map<String, Long> resources();

    /**
     * Releases the bed and its domains.
     */
    @Override
    void close();
}
