package io.xen4j.console;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link ConsoleBackend} knows of one console, at one moment.
 *
 * @param id         the console
 * @param state      where it is
 * @param bytesOut   guest output read from the ring
 * @param bytesIn    input put on the guest's ring
 * @param discarded  output dropped: buffer overflow, or a failed sink
 * @param throttled  times the rate limit left output in the ring
 * @param detail     why it waits or is broken, else the empty string
 * @param tty        the pseudo-terminal published for it, or null
 */
public record ConsoleStatus(ConsoleId id, State state, long bytesOut, long bytesIn, long discarded, long throttled,
    String detail, @Nullable String tty) {
    /** Where a console is. */
    public enum State {
        /** Waiting for usable nodes, a grant, a port or (secondary) the frontend's handshake. */
        WAITING,
        /** Mapped and bound: output flows. */
        CONNECTED,
        /** The guest broke a ring rule: the console stopped, the others go on. */
        BROKEN
    }
}
