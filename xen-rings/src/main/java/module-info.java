/**
 * Lock-free io/ring.h front and back rings, and the console and xenstore byte rings.
 */
module io.xen4j.rings {
    // Ring header layouts and the Agrona buffers rings are built on.
    requires transitive io.xen4j.abi;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.rings;
}
