/**
 * Runnable xen4j programs: the demo on the in-memory HAL and tools for live Xen hosts.
 */
module io.xen4j.examples {
    // The demo prints the ABI summary and exercises the flyweights.
    requires io.xen4j.abi;
    // The demo's second half runs two domains on the simulated Xen host (and, transitively, the
    // HAL API); XenstoredMain serves the simulated host's xenstored on a Unix socket.
    requires io.xen4j.hal.memory;
    // The demo's third part serves a file as a disk to a simulated guest (blkfront -> blkback).
    requires io.xen4j.blk;
    // The demo's console and control part, ConsoleLogger and ShutdownTool.
    requires io.xen4j.console;
    requires io.xen4j.control;
    // BalloonDemo: guest and toolstack balloon sides.
    requires io.xen4j.balloon;
    // The HAL examples open a live host through platform detection when given --live.
    requires io.xen4j.platform;
    // The demo's network part gives two simulated guests interfaces on an in-memory switch.
    requires io.xen4j.net;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;
}
