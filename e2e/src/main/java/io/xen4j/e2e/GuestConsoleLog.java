package io.xen4j.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A guest's console log file (as xenconsoled writes it with {@code --log=guest}, or a xen4j
 * console sink), read for the lines that carry a marker such as {@value #DOMU_MARK}: the
 * harness's domU prints one per device check ({@code live-xen/domu-init.sh}).
 *
 * <p>The guest is the peer: its log is read with a bound ({@link #MAX_BYTES}), only complete
 * lines count (a line still being written is not a result yet), and carriage returns (the
 * guest's tty writes {@code \r\n}) are dropped.
 */
public final class GuestConsoleLog {
    /** The marker of the harness's domU's check lines. */
    public static final String DOMU_MARK = "XEN4J-DOMU: ";

    /** At most this many bytes of the log are read: a guest that floods its console costs a bounded read. */
    public static final int MAX_BYTES = 4 << 20;

    /** How often {@link #await} looks at the file again. */
    static final Duration POLL = Duration.ofMillis(250);

    private final Path file;
    private final String mark;

    /**
     * A log file whose lines carry {@code mark}.
     *
     * @param file the log file; it need not exist yet (the logger creates it when the guest
     *             first writes)
     * @param mark the marker; the text after it is what {@link #marks()} returns
     */
    public GuestConsoleLog(final Path file, final String mark) {
        this.file = Objects.requireNonNull(file, "file");
        this.mark = Objects.requireNonNull(mark, "mark");
        if (mark.isEmpty()) {
            throw new IllegalArgumentException("mark is empty: file=" + file);
        }
    }

    /**
     * xenconsoled's log of a named guest in the harness's dom0.
     *
     * @param consoleDir xenconsoled's {@code --log-dir} ({@code /mnt/shared/dom0/console})
     * @param name the domain's name
     * @return the log of {@code name}'s console, read for {@value #DOMU_MARK} lines
     */
    public static GuestConsoleLog ofXenconsoled(final Path consoleDir, final String name) {
        return new GuestConsoleLog(consoleDir.resolve("guest-" + name + ".log"), DOMU_MARK);
    }

    /**
     * The log file.
     *
     * @return the path given at construction
     */
    public Path file() {
        return file;
    }

    /**
     * The text after the marker of every complete marked line so far, in order.
     *
     * @return the marked lines (empty when the file does not exist yet)
     * @throws IOException when the file exists but cannot be read
     */
    public List<String> marks() throws IOException {
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (final NoSuchFileException absent) {
            return List.of();
        }
        return parse(bytes, mark);
    }

    /**
     * Waits until a marked line matches.
     *
     * @param match what the line's text (after the marker) must satisfy
     * @param timeout the bound
     * @param what what is awaited, for the message of a timeout
     * @return the first matching line's text
     * @throws IOException when the file cannot be read, or {@code timeout} passed without a
     *                     match (the message names the file, what was awaited and the marked lines
     *                     seen)
     * @throws InterruptedException when interrupted while waiting
     */
    public String await(final Predicate<String> match, final Duration timeout, final String what)
        throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final List<String> seen = marks();
            final Optional<String> hit = seen.stream().filter(match).findFirst();
            if (hit.isPresent()) {
                return hit.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("no console line for " + what + " within " + timeout.toSeconds() + " s in "
                    + file + "; the " + seen.size() + " lines marked '" + mark.trim() + "' so far: " + seen);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The marked complete lines of {@code bytes}: the text after the marker, {@code \r} dropped. */
    static List<String> parse(final byte[] bytes, final String mark) {
        final List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            final String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).replace("\r", "");
            start = i + 1;
            final int at = line.indexOf(mark);
            if (at >= 0) {
                lines.add(line.substring(at + mark.length()));
            }
        }
        return lines;
    }
}
