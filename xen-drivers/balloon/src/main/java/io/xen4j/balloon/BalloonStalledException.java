package io.xen4j.balloon;

/**
 * The guest reported that its balloon stalled short of the target (the hypervisor refused pages
 * too often, or no frame was left to give back).
 */
public final class BalloonStalledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What the guest reported last, in KiB. */
    private final long reportedKiB;

    /**
     * Creates the exception.
     *
     * @param message     names the domain, where it stalled and the target
     * @param reportedKiB what the guest reported last
     */
    public BalloonStalledException(final String message, final long reportedKiB) {
        super(message);
        this.reportedKiB = reportedKiB;
    }

    /**
     * What the guest reported last.
     *
     * @return KiB, or {@link BalloonTargets#INVALID}
     */
    public long reportedKiB() {
        return reportedKiB;
    }
}
