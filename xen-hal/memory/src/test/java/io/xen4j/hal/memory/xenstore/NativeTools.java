package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Xen's own C programs against the in-memory xenstored. Where a program is missing the test
 * is skipped, unless {@code -Dxen4j.requireNativeChecks=true} (CI) turns the skip into a failure.
 */
final class NativeTools {
    /** Debian package of the {@code xenstore-*} commands. */
    static final String XENSTORE_UTILS = "xenstore-utils";
    /** Debian package of {@code test-xenstore}, installed with --no-install-recommends. */
    static final String XEN_UTILS = "xen-utils-4.17";
    static final Path TEST_XENSTORE = Path.of("/usr/lib/xen-4.17/bin/test-xenstore");

    private NativeTools() {
    }

    /** Output of a finished program. */
    record Result(int exit, String out, String err, Duration took) {
        @Override
        public String toString() {
            return "exit " + exit + " after " + took.toMillis() + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The executable, found on PATH or as given when absolute; null if missing. */
    static @Nullable Path find(final String program) {
        final Path given = Path.of(program);
        if (given.isAbsolute()) {
            return Files.isExecutable(given) ? given : null;
        }
        final String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (final String dir : path.split(":")) {
            final Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Skips (or, under CI, fails) unless every program is installed. */
    static void require(final String debianPackage, final String... programs) {
        final List<String> missing = new ArrayList<>();
        for (final String p : programs) {
            if (find(p) == null) {
                missing.add(p);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        final String reason = "missing " + missing + "; install the Debian package " + debianPackage
            + (XEN_UTILS.equals(debianPackage) ? " (apt-get install --no-install-recommends " + debianPackage + ")" : "");
        if (Boolean.getBoolean("xen4j.requireNativeChecks")) {
            fail("xen4j.requireNativeChecks is set but the C tools cannot run: " + reason);
        }
        Assumptions.abort("C tools not run: " + reason);
    }

    /** Runs a program with {@code XENSTORED_PATH} set to {@code socket}. */
    static Result run(final Path socket, final Duration timeout, final String... command)
        throws IOException, InterruptedException {
        final ProcessBuilder pb = new ProcessBuilder(command);
        final Map<String, String> env = pb.environment();
        env.put("XENSTORED_PATH", socket.toString());
        // Never fall back to a real daemon or the xenbus device of the machine the tests run on.
        env.remove("XENSTORED_RUNDIR");
        final long start = System.nanoTime();
        final Process p = pb.start();
        p.getOutputStream().close();
        final var out = p.getInputStream();
        final var err = p.getErrorStream();
        final byte[][] captured = new byte[2][];
        final Thread errReader = Thread.ofVirtual().start(() -> {
            try {
                captured[1] = err.readAllBytes();
            } catch (final IOException e) {
                captured[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        captured[0] = out.readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeout);
        }
        errReader.join();
        return new Result(p.exitValue(), new String(captured[0], StandardCharsets.UTF_8),
            new String(captured[1] == null ? new byte[0] : captured[1], StandardCharsets.UTF_8),
            Duration.ofNanos(System.nanoTime() - start));
    }
}
