package io.xen4j.console;

import java.io.IOException;

/**
 * Opens a sink for each console a {@link ConsoleBackend} connects. See {@link ConsoleSinks}.
 */
@FunctionalInterface
public interface ConsoleSinkFactory {
    /**
     * Opens the sink of one console.
     *
     * @param console the console
     * @return its sink
     * @throws IOException if it cannot be opened; the console is then served without output (its
     *                     ring is still drained, and the bytes counted as discarded)
     */
    ConsoleSink open(ConsoleId console) throws IOException;
}
