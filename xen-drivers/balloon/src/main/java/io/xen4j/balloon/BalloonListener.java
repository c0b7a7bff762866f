package io.xen4j.balloon;

/**
 * Told of the balloon's progress: after each batch and on each change of state. Called on the
 * thread that runs {@link BalloonGuest#doWork()}; it must not block.
 */
@FunctionalInterface
public interface BalloonListener {
    /**
     * The balloon moved or changed state.
     *
     * @param status the status after the step
     */
    void onProgress(BalloonStatus status);
}
