/**
 * Memory ballooning, guest and toolstack sides: {@link io.xen4j.balloon.BalloonGuest} moves the
 * domain's reservation towards {@code memory/target}; {@link io.xen4j.balloon.BalloonToolstack}
 * sets targets and reads back what the guest reached.
 */
module io.xen4j.balloon {
    // The target and the progress live in xenstore; the reservation is the HAL's (both transitively).
    requires transitive io.xen4j.xenbus;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.balloon;
}
