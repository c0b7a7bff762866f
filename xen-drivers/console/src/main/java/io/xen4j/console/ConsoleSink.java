package io.xen4j.console;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link ConsoleBackend} puts one console's output, and where input for the guest may come
 * from. Called only on the backend's agent thread, never concurrently; a call must not block for
 * long (it holds up every console of the backend): a sink that cannot take everything now returns
 * fewer bytes and the backend keeps the rest in its bounded buffer.
 */
public interface ConsoleSink extends AutoCloseable {
    /**
     * Takes guest output.
     *
     * @param data   the bytes
     * @param offset the first byte
     * @param length how many
     * @return bytes taken, 0 to {@code length}
     * @throws IOException if the sink failed for good; the backend then discards this console's output
     */
    int write(byte[] data, int offset, int length) throws IOException;

    /**
     * Input for the guest, without blocking.
     *
     * @param buffer where the bytes go
     * @param offset the first byte
     * @param length the most bytes
     * @return bytes read, 0 when none
     * @throws IOException if the input side failed
     */
    default int readInput(final byte[] buffer, final int offset, final int length) throws IOException {
        return 0;
    }

    /**
     * The pseudo-terminal this sink opened, which the backend publishes as the console's {@code tty} node.
     *
     * @return the slave's path, such as {@code /dev/pts/3}, or null
     */
    default @Nullable String ttyPath() {
        return null;
    }

    /** Releases the sink's resources; the backend calls it once when the console goes away. */
    @Override
    void close();
}
