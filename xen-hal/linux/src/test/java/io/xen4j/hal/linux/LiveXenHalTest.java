package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Boots real Xen with a Linux dom0 under QEMU ({@code live-xen/run.sh}) and runs this module's
 * tests inside dom0 with the JUnit console launcher, on this test's own class path (the project
 * and the Maven repository are mounted at the same paths): the HAL contract suites against the
 * Linux HAL, the live-only tests, and the unit tests once more. {@code -Dxen4j.liveXen.required=true}
 * turns a missing {@code /dev/xen} into failures there. The launcher's XML reports land in
 * {@code target/live-xen-hal/junit}, its output in {@code target/live-xen-hal/cmd.out}.
 *
 * <p>Tagged {@code live-xen}: only {@code ./mvnw -B -ntp -Plive-xen -pl xen-hal/linux -am verify}
 * runs it.
 */
@Tag("live-xen")
class LiveXenHalTest {
    private static final long TIMEOUT_S = Long.getLong("xen4j.liveXen.timeout", 2400);

    @Test
    void theLinuxHalPassesItsTestsInsideDom0() throws IOException, InterruptedException {
        final Path repo = repoRoot();
        final Path out = repo.resolve("xen-hal/linux/target/live-xen-hal");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String classPath = System.getProperty("java.class.path");
        final String command = String.join("\n",
            "echo '== ConsoleLauncher in dom0'",
            java + " -Xshare:auto --enable-native-access=ALL-UNNAMED"
                + " --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Dxen4j.liveXen.required=true"
                + " -cp '" + classPath + "' org.junit.platform.console.ConsoleLauncher execute"
                + " --disable-banner --details=tree --select-package io.xen4j.hal.linux --exclude-tag live-xen"
                + " --fail-if-no-tests --reports-dir /mnt/shared/junit");
        final List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("live-xen/run.sh").toString(),
            "--command", command, "--timeout", Long.toString(TIMEOUT_S), "--out", out.toString()));
        for (final Path mount : mountsFor(repo, classPath)) {
            cmd.add("--mount");
            cmd.add(mount.toString());
        }
        Files.createDirectories(out);
        final Path log = out.resolveSibling("live-xen-hal-run.log");
        final Process process = new ProcessBuilder(cmd).directory(repo.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final boolean finished = process.waitFor(TIMEOUT_S + 120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertTrue(finished, "live-xen/run.sh did not finish in time; its log: " + log);
        final Properties summary = new Properties();
        try (Reader reader = Files.newBufferedReader(out.resolve("summary.properties"))) {
            summary.load(reader);
        }
        assertFalse(summary.getProperty("dom0_ready_s", "").isEmpty(), "dom0 did not come up; see " + out);
        final String cmdOut = Files.readString(out.resolve("cmd.out"), StandardCharsets.UTF_8);
        assertTrue(cmdOut.contains("tests successful"), "the launcher did not run:\n" + cmdOut);
        assertEquals("0", summary.getProperty("cmd_rc"), "tests failed inside dom0:\n" + cmdOut);
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("live-xen/run.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no live-xen/run.sh above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** The project, and for each class-path entry outside it the Maven repository that holds it. */
    private static Set<Path> mountsFor(final Path repo, final String classPath) {
        final Set<Path> mounts = new LinkedHashSet<>();
        mounts.add(repo);
        for (final String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            final Path path = Path.of(entry).toAbsolutePath().normalize();
            if (path.startsWith(repo) || path.startsWith("/usr")) {
                continue;
            }
            Path mount = Files.isDirectory(path) ? path : path.getParent();
            for (Path p = path; p != null; p = p.getParent()) {
                final Path name = p.getFileName();
                if (name != null && name.toString().equals("repository")) {
                    mount = p;
                    break;
                }
            }
            if (mount != null && mounts.stream().noneMatch(mount::startsWith)) {
                mounts.add(mount);
            }
        }
        return mounts;
    }
}
