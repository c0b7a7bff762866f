package io.xen4j.balloon;

/**
 * A snapshot of the guest's balloon.
 *
 * @param state          where it stands
 * @param requestedKiB   the last valid {@code memory/target}, in KiB; -1 before any
 * @param targetPages    the target after clamping, in pages; -1 before any
 * @param currentPages   the domain's reservation, in pages
 * @param balloonedPages frames the balloon holds given back (it may claim them again)
 * @param pinnedFrames   frames that could not be given back because they are in use
 * @param retries        consecutive refusals by the hypervisor for the current target
 * @param reason         why the state is what it is, e.g. the clamp applied or a rejected value;
 *                       empty when there is nothing to say
 */
public record BalloonStatus(
    BalloonState state,
    long requestedKiB,
    long targetPages,
    long currentPages,
    long balloonedPages,
    long pinnedFrames,
    int retries,
    String reason) {

    /**
     * The reservation in KiB.
     *
     * @return {@code currentPages * 4}
     */
    public long currentKiB() {
        return BalloonTargets.pagesToKiB(currentPages);
    }
}
