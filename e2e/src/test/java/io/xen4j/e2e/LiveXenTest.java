package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.linux.live.Dom0TestRunner;
import io.xen4j.hal.linux.live.XenVersionProbe;
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
 * Boots the real Xen hypervisor with a Linux PV dom0 under QEMU through {@code live-xen/run.sh}
 * and runs, inside dom0, the basics ({@code /dev/xen}, xenstore, {@code java -version}),
 * {@link XenVersionProbe}, and {@link Dom0TestRunner} with the tests tagged
 * {@value Dom0TestRunner#DOM0_TAG}, all with this test's own class path (the project and the
 * local Maven repository are mounted read-only at the same paths in dom0).
 *
 * <p>One boot for every dom0 test: this module's test class path holds every driver,
 * {@code xen-hal-linux} and its test jar, so the launcher finds the HAL's own dom0 tests (in that
 * jar) and the end-to-end tests of this module (in {@code target/test-classes}) and runs them in
 * one JVM in one dom0, in the order of their {@code @Order} (the domU's shutdown last). No other
 * module has a test tagged {@code live-xen}: {@code -Plive-xen -pl e2e -am} boots QEMU once.
 *
 * <p>By default dom0 starts a PV domU first, so that the cases that need a second domain
 * ({@code LinuxSecondDomainTest}) have one, and runs the xenstored Debian's init script would
 * start. The domU gets no disk and no vif ({@code --domu-disk none --domu-vif none}): the cases
 * need its xenstore page, grant table and domid only, and the guest then costs dom0 no backend
 * work while the JVM runs (see live-xen/README.md, traps, for the JVM crashes under TCG). {@code -Dxen4j.liveXen.args="..."} replaces the options passed to run.sh
 * (default {@value #DEFAULT_ARGS}; for example {@code "--domu --xenstored c"}).
 *
 * <p>Tagged {@code live-xen}: it takes minutes, so only the Maven profile {@code live-xen}
 * runs it ({@code ./mvnw -B -ntp -Plive-xen -pl e2e -am verify}); the default build
 * excludes the tag.
 */
@Tag("live-xen")
class LiveXenTest {
    /** The run.sh options without {@code -Dxen4j.liveXen.args}. */
    static final String DEFAULT_ARGS = "--domu-disk none --domu-vif none";
    private static final long TIMEOUT_S = Long.getLong("xen4j.liveXen.timeout", 1800);

    @Test
    void dom0BootsAndRunsTheHypercallProbe() throws IOException, InterruptedException {
        final Path repo = repoRoot();
        final Path out = repo.resolve("e2e/target/live-xen");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String classPath = System.getProperty("java.class.path");

        final String command = String.join("\n",
            "set -e",
            "echo '== ls -l /dev/xen'; ls -l /dev/xen",
            "echo '== xenstore-read /local/domain/0/name'; xenstore-read /local/domain/0/name",
            "echo '== java -version'; " + java + " -version",
            "echo '== XenVersionProbe'",
            javaCommand(java, classPath) + XenVersionProbe.class.getName(),
            "echo '== Dom0TestRunner: the tests tagged " + Dom0TestRunner.DOM0_TAG + "'",
            // A missing /dev/xen is a failure in dom0, not a skip.
            javaCommand(java, classPath) + "-Dxen4j.liveXen.required=true " + Dom0TestRunner.class.getName()
                + " /mnt/shared/dom0-tests");

        final List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("live-xen/run.sh").toString(),
            "--command", command, "--timeout", Long.toString(TIMEOUT_S), "--out", out.toString()));
        for (final Path mount : mountsFor(repo, classPath)) {
            cmd.add("--mount");
            cmd.add(mount.toString());
        }
        final String extra = System.getProperty("xen4j.liveXen.args", DEFAULT_ARGS).trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }

        Files.createDirectories(out);
        final Path log = out.resolveSibling("live-xen-run.log");
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
        assertEquals("0", summary.getProperty("cmd_rc"), "the command in dom0 failed; see " + out.resolve("cmd.out"));
        final String cmdOut = Files.readString(out.resolve("cmd.out"), StandardCharsets.UTF_8);
        assertTrue(cmdOut.contains("privcmd") && cmdOut.contains("xenbus_backend"), "/dev/xen incomplete:\n" + cmdOut);
        assertTrue(cmdOut.contains("/local/domain/0/name\nDomain-0\n"), "xenstore has no dom0 name:\n" + cmdOut);
        assertTrue(cmdOut.contains("xen_version: 4.17"), "the xen_version hypercall did not say 4.17:\n" + cmdOut);
        final Properties dom0Tests = new Properties();
        try (Reader reader = Files.newBufferedReader(out.resolve("dom0-tests/dom0-tests.properties"))) {
            dom0Tests.load(reader);
        }
        System.out.printf("tests inside dom0 (tag %s): %s found, %s passed, %s failed, %s skipped in %s s;"
                + " dom0 up %s s after QEMU start, run.sh total %s s%n", dom0Tests.getProperty("tag"),
            dom0Tests.getProperty("found"), dom0Tests.getProperty("passed"), dom0Tests.getProperty("failed"),
            dom0Tests.getProperty("skipped"), dom0Tests.getProperty("seconds"), summary.getProperty("dom0_ready_s"),
            summary.getProperty("total_s"));
        assertEquals("0", dom0Tests.getProperty("failed"), "tests failed inside dom0: see "
            + out.resolve("dom0-tests/dom0-tests.txt"));
        assertEquals("PASS", summary.getProperty("result"), "run.sh summary:\n" + output);
        assertEquals(0, process.exitValue(), "live-xen/run.sh failed");
    }

    /** A java command line for dom0: the host's JDK, the flags xen4j needs, this class path. */
    private static String javaCommand(final String java, final String classPath) {
        // C1 only: under TCG the JVM's compiler threads are the bulk of a short run's cost.
        return java + " -XX:TieredStopAtLevel=1 -XX:ErrorFile=/mnt/shared/dom0/hs_err_%p.log"
            + " --enable-native-access=ALL-UNNAMED"
            + " --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp '" + classPath + "' ";
    }

    /** The project root: the first parent that holds live-xen/run.sh. */
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

    /**
     * Host folders dom0 must see for the class path to work unchanged: the project, and for
     * each entry outside it the local Maven repository that holds it (or its own folder).
     */
    private static Set<Path> mountsFor(final Path repo, final String classPath) {
        final Set<Path> mounts = new LinkedHashSet<>();
        mounts.add(repo);
        for (final String entry : classPath.split(File.pathSeparator, -1)) {
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
