package io.xen4j.benchmarks.rings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * A Linux eventfd(2) through the Foreign Function and Memory API: the event-channel stand-in of the
 * ring benchmarks, the same wake-up the C benchmark uses. {@link #signal()} adds 1 to the counter;
 * {@link #await()} blocks until it is non-zero and resets it, so signals coalesce as event-channel
 * notifications do. One thread signals and one thread waits; neither allocates.
 */
public final class EventFd implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle EVENTFD = handle("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment one = arena.allocate(JAVA_LONG);
    private final MemorySegment counter = arena.allocate(JAVA_LONG);
    private final int fd;

    /** Creates a blocking eventfd with a zero counter. */
    public EventFd() {
        try {
            fd = (int) EVENTFD.invokeExact(0, 0);
        } catch (final Throwable t) {
            throw new IllegalStateException("eventfd(0, 0) failed", t);
        }
        if (fd < 0) {
            throw new IllegalStateException("eventfd(0, 0) returned fd=" + fd);
        }
        one.set(JAVA_LONG, 0, 1L);
    }

    private static MethodHandle handle(final String name, final FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor);
    }

    /** Wakes the waiter: write(fd, 1). */
    public void signal() {
        final long written;
        try {
            written = (long) WRITE.invokeExact(fd, one, 8L);
        } catch (final Throwable t) {
            throw new IllegalStateException(t);
        }
        if (written != 8) {
            throw new IllegalStateException("write(eventfd) returned " + written + " fd=" + fd);
        }
    }

    /** Blocks until signalled: read(fd) returns and clears the counter. */
    public void await() {
        final long read;
        try {
            read = (long) READ.invokeExact(fd, counter, 8L);
        } catch (final Throwable t) {
            throw new IllegalStateException(t);
        }
        if (read != 8) {
            throw new IllegalStateException("read(eventfd) returned " + read + " fd=" + fd);
        }
    }

    @Override
    public void close() {
        try {
            final int ignored = (int) CLOSE.invokeExact(fd);
        } catch (final Throwable t) {
            throw new IllegalStateException(t);
        }
        arena.close();
    }
}
