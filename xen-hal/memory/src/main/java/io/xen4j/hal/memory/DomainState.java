package io.xen4j.hal.memory;

/**
 * The life of a simulated domain.
 */
public enum DomainState {
    /** Running: its host works. */
    RUNNING,
    /**
     * Destroyed, but other domains still map some of its pages (grant mappings, foreign
     * mappings), which Xen keeps alive until they are unmapped; a zombie, as {@code xl list}
     * shows it.
     */
    DYING,
    /** Gone: every resource released. */
    DEAD
}
