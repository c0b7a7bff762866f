package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds the C programs of {@code src/test/c} with gcc against the installed Xen headers. Tests
 * that need them skip where gcc or libxen-dev is missing, unless {@code -Dxen4j.requireNativeChecks=true}
 * (CI) turns the skip into a failure.
 */
final class NativeTools {
    static final Path C_SOURCES = Path.of("src/test/c");
    static final Path BUILD_DIR = Path.of("target/native");
    private static final Path RING_H = Path.of("/usr/include/xen/io/ring.h");
    private static final ConcurrentHashMap<String, Path> BUILT = new ConcurrentHashMap<>();

    private NativeTools() {
    }

    /** Why the C programs cannot be built here, or null if they can. */
    static @Nullable String unavailableReason() {
        if (!Files.isRegularFile(RING_H)) {
            return "the Xen public headers are not installed (" + RING_H + "; apt-get install libxen-dev)";
        }
        try {
            final Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "gcc --version failed";
            }
        } catch (final IOException e) {
            return "gcc is not installed (apt-get install gcc): " + e.getMessage();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** Skips the calling test if gcc or the headers are missing, or fails it under requireNativeChecks. */
    static void requireNative() {
        final String reason = unavailableReason();
        if (reason != null) {
            if (Boolean.getBoolean("xen4j.requireNativeChecks")) {
                fail("xen4j.requireNativeChecks is set but the C ring programs cannot be built: " + reason);
            }
            Assumptions.abort("C ring programs not built: " + reason);
        }
    }

    /** Compiles {@code src/test/c/<name>.c} once per JVM and returns the executable. */
    static Path program(final String name) {
        requireNative();
        return BUILT.computeIfAbsent(name, n -> {
            try {
                final Path dir = Files.createDirectories(BUILD_DIR.toAbsolutePath());
                final Path exe = dir.resolve(n);
                run(List.of("gcc", "-O2", "-std=gnu11", "-Wall", "-Werror", "-I", C_SOURCES.toAbsolutePath().toString(),
                    "-o", exe.toString(), C_SOURCES.resolve(n + ".c").toAbsolutePath().toString()), null, 120);
                return exe;
            } catch (final IOException e) {
                throw new IllegalStateException("cannot build " + n + ".c: " + e.getMessage(), e);
            }
        });
    }

    /** Runs a command, feeding {@code input}, and returns its standard output; fails on a non-zero exit. */
    static String run(final List<String> command, final @Nullable String input, final int timeoutSeconds)
        throws IOException {
        final Path err = Files.createTempFile("xen4j-native", ".err");
        try {
            final Process p = new ProcessBuilder(new ArrayList<>(command)).redirectError(err.toFile()).start();
            if (input != null) {
                Thread.ofVirtual().name("xen4j-native-feeder").start(() -> {
                    try (var in = p.getOutputStream()) {
                        in.write(input.getBytes(StandardCharsets.US_ASCII));
                    } catch (final IOException ignored) {
                        // the process died; its exit code says why
                    }
                });
            } else {
                p.getOutputStream().close();
            }
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit=" + p.exitValue() + " command=" + String.join(" ", command) + "\n"
                    + Files.readString(err));
            }
            return out;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
