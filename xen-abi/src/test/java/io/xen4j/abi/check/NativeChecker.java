package io.xen4j.abi.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Builds and runs the checker program with the machine's gcc against the installed Xen headers.
 */
final class NativeChecker {
    static final Path XEN_HEADERS = Path.of("/usr/include/xen/io/ring.h");

    private NativeChecker() {
    }

    /**
     * Why the checker cannot run here, or {@code null} if it can.
     */
    static @Nullable String unavailableReason() {
        if (!Files.isRegularFile(XEN_HEADERS)) {
            return "the Xen public headers are not installed (" + XEN_HEADERS + "; apt-get install libxen-dev)";
        }
        try {
            final Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "gcc --version failed";
            }
        } catch (final IOException e) {
            return "gcc is not installed (apt-get install gcc gcc-multilib): " + e.getMessage();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /**
     * Compiles {@code source} for {@code abi} in {@code workDir} and returns what it prints.
     */
    static String run(final String source, final AbiSpec.Abi abi, final Path dir)
        throws IOException, InterruptedException {
        final Path workDir = Files.createDirectories(dir.toAbsolutePath());
        final Path c = workDir.resolve("xen4j-abi-checker.c");
        Files.writeString(c, source, StandardCharsets.UTF_8);
        final Path exe = workDir.resolve("xen4j-abi-checker-" + abi.id);
        exec(workDir, List.of("gcc", abi.gccFlag, "-std=gnu11", "-Wall", "-Werror", "-o", exe.toString(), c.toString()));
        return exec(workDir, List.of(exe.toString()));
    }

    private static String exec(final Path dir, final List<String> command) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + out);
        }
        return out;
    }
}
