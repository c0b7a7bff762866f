package io.xen4j.rings;

/**
 * 128 bytes ahead of a ring's fields. A frontend and a backend in one JVM are two objects that are
 * allocated, and after a garbage collection copied, next to each other, and each thread writes its
 * own ring's indices for every slot; without padding the two would share cache lines (or the
 * adjacent-line pair some CPUs prefetch together) and every slot would move a line between cores.
 * The padding after the fields is in {@link FrontRing} and {@link BackRing}.
 */
@SuppressWarnings("unused")
abstract class RingPadding {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
