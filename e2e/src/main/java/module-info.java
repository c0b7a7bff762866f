/**
 * Helpers of xen4j's end-to-end tests on real Xen (not published): reading what a guest printed
 * on its console, as xenconsoled or xen4j's console back end logged it.
 */
module io.xen4j.e2e {
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.e2e;
}
