package io.xen4j.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The sinks a {@link ConsoleBackend} can write to: timestamped log files (as xenconsoled's
 * {@code --log=guest --timestamp=guest}), Java streams, lines to a consumer, and pseudo-terminals.
 */
public final class ConsoleSinks {
    /** Longest line handed to a line consumer: a guest that never writes a newline still gets through, in pieces. */
    public static final int MAX_LINE = 4096;

    private static final System.Logger LOG = System.getLogger(ConsoleSinks.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private ConsoleSinks() {
    }

    /**
     * One log file per console, {@code <dir>/guest-<name>.log} (for example {@code guest-dom5.log}),
     * appended to, each line starting with {@code [yyyy-MM-dd HH:mm:ss.SSS] } in the clock's zone.
     *
     * @param dir   the directory, created if missing
     * @param clock the time source of the stamps
     * @return the factory
     */
    public static ConsoleSinkFactory logFiles(final Path dir, final Clock clock) {
        return id -> {
            Files.createDirectories(dir);
            final Path file = dir.resolve("guest-" + id.name() + ".log");
            return new TimestampedSink(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), clock);
        };
    }

    /**
     * The raw bytes of each console to a stream the function picks (it may return the same stream
     * for several consoles); the stream is flushed after each write and closed with the console
     * unless {@code close} is false.
     *
     * @param streams the stream of each console
     * @param close   whether to close a console's stream when the console goes away
     * @return the factory
     */
    public static ConsoleSinkFactory streams(final Function<ConsoleId, OutputStream> streams, final boolean close) {
        return id -> {
            final OutputStream out = streams.apply(id);
            return new ConsoleSink() {
                @Override
                public int write(final byte[] data, final int offset, final int length) throws IOException {
                    out.write(data, offset, length);
                    out.flush();
                    return length;
                }

                @Override
                public void close() {
                    if (close) {
                        try {
                            out.close();
                        } catch (final IOException e) {
                            LOG.log(System.Logger.Level.DEBUG, "console " + id.name() + ": closing its stream: " + e);
                        }
                    }
                }
            };
        };
    }

    /**
     * Complete lines of each console to a consumer, without the line end ({@code \n} or
     * {@code \r\n}); a line longer than {@value #MAX_LINE} characters is passed on in pieces. The
     * bytes are decoded as UTF-8 (malformed input becomes U+FFFD). A partial last line is passed on
     * when the console goes away.
     *
     * @param consumer gets the console and the line, on the backend's thread
     * @return the factory
     */
    public static ConsoleSinkFactory lines(final BiConsumer<ConsoleId, String> consumer) {
        return id -> new LineSink(line -> consumer.accept(id, line));
    }

    /**
     * A pseudo-terminal per console, its path published as the console's {@code tty}, as
     * xenconsoled's default does. Input typed on the terminal goes to the guest.
     *
     * @return the factory; opening fails with an IOException that says why where there is no
     *         {@code /dev/ptmx} or no native access (see {@link PseudoTerminal#unavailableReason()})
     */
    public static ConsoleSinkFactory pty() {
        return id -> new PtySink(PseudoTerminal.open());
    }

    /**
     * A pseudo-terminal where the machine has them, else {@code fallback}; the reason is logged once.
     *
     * @param fallback the sinks to use without pseudo-terminals
     * @return the factory
     */
    public static ConsoleSinkFactory ptyOr(final ConsoleSinkFactory fallback) {
        final @Nullable String why = PseudoTerminal.unavailableReason();
        if (why != null) {
            LOG.log(System.Logger.Level.INFO, "console backend: no pseudo-terminals (" + why + "); using the fallback sink");
            return fallback;
        }
        return pty();
    }

    /** Stamps the start of each line. */
    static final class TimestampedSink implements ConsoleSink {
        private final OutputStream out;
        private final Clock clock;
        private final DateTimeFormatter format;
        private boolean atLineStart = true;

        TimestampedSink(final OutputStream out, final Clock clock) {
            this.out = out;
            this.clock = clock;
            this.format = STAMP.withZone(clock.getZone() == null ? ZoneId.systemDefault() : clock.getZone());
        }

        @Override
        public int write(final byte[] data, final int offset, final int length) throws IOException {
            int i = offset;
            final int end = offset + length;
            while (i < end) {
                if (atLineStart) {
                    out.write(("[" + format.format(clock.instant()) + "] ").getBytes(StandardCharsets.US_ASCII));
                    atLineStart = false;
                }
                int j = i;
                while (j < end && data[j] != '\n') {
                    j++;
                }
                if (j < end) {
                    // Include the newline; the next byte starts a line.
                    j++;
                    atLineStart = true;
                }
                out.write(data, i, j - i);
                i = j;
            }
            out.flush();
            return length;
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (final IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "console log: close: " + e);
            }
        }
    }

    /** Splits bytes into lines. */
    static final class LineSink implements ConsoleSink {
        private final java.util.function.Consumer<String> consumer;
        private final byte[] line = new byte[MAX_LINE];
        private int length;

        LineSink(final java.util.function.Consumer<String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public int write(final byte[] data, final int offset, final int count) {
            for (int i = offset; i < offset + count; i++) {
                final byte b = data[i];
                if (b == '\n') {
                    emit();
                } else {
                    if (length == MAX_LINE) {
                        emit();
                    }
                    line[length++] = b;
                }
            }
            return count;
        }

        private void emit() {
            int n = length;
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
            length = 0;
            consumer.accept(new String(line, 0, n, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            if (length > 0) {
                emit();
            }
        }
    }

    /** A pseudo-terminal: output to the master, input from it. */
    static final class PtySink implements ConsoleSink {
        private final PseudoTerminal pty;

        PtySink(final PseudoTerminal pty) {
            this.pty = pty;
        }

        @Override
        public int write(final byte[] data, final int offset, final int length) throws IOException {
            return pty.write(data, offset, length);
        }

        @Override
        public int readInput(final byte[] buffer, final int offset, final int length) throws IOException {
            return pty.read(buffer, offset, length);
        }

        @Override
        public String ttyPath() {
            return pty.path();
        }

        @Override
        public void close() {
            pty.close();
        }
    }
}
