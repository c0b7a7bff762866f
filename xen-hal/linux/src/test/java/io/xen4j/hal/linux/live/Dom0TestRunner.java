package io.xen4j.hal.linux.live;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs, inside dom0, the tests tagged {@value #DOM0_TAG} found in the class path's folders
 * (the modules' {@code target/test-classes}) and test jars ({@code *-tests.jar}, such as this
 * module's when the end-to-end module {@code e2e} runs it), and writes what happened to a report
 * folder in the harness's shared folder: {@code dom0-tests.properties} (found, passed, failed,
 * skipped), {@code dom0-tests.txt} (one line per test, failures with their stack traces). The
 * build on the host excludes the tag; {@code io.xen4j.e2e.LiveXenTest} runs this class in dom0
 * and checks the report.
 *
 * <p>Test classes run in the order of their {@code @Order} ({@link ClassOrderer.OrderAnnotation};
 * without one, {@code Order.DEFAULT}): a test that ends the shared domU (its shutdown) declares
 * {@link #LAST} so that every other test still has the guest.
 *
 * <pre>{@code
 * java <flags> -cp <test class path> io.xen4j.hal.linux.live.Dom0TestRunner [REPORT_DIR] [TAG]
 * }</pre>
 *
 * <p>Exit status 0 when at least one test ran and none failed.
 */
public final class Dom0TestRunner {
    /** Tag of the tests that need a Xen dom0 (the {@code /dev/xen} devices, a real xenstored). */
    public static final String DOM0_TAG = "xen-dom0";

    /**
     * The {@code @Order} of a test class that must run after all others (one that shuts the
     * harness's domU down).
     */
    public static final int LAST = Integer.MAX_VALUE;

    /** The bound of every test and lifecycle method without its own {@code @Timeout}. */
    static final String DEFAULT_TIMEOUT = "180 s";

    private Dom0TestRunner() {
    }

    /**
     * Runs the tests.
     *
     * @param args report folder (default {@code /mnt/shared/dom0-tests}), tag (default
     *             {@value #DOM0_TAG})
     * @throws IOException when the report cannot be written
     */
    public static void main(final String[] args) throws IOException {
        final Path reportDir = Path.of(args.length > 0 ? args[0] : "/mnt/shared/dom0-tests");
        final String tag = args.length > 1 ? args[1] : DOM0_TAG;
        Files.createDirectories(reportDir);

        final Set<Path> roots = new LinkedHashSet<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            final Path path = Path.of(entry);
            // Folders and the modules' test jars; the libraries' jars hold no dom0 tests and
            // scanning them would only cost dom0 time.
            if (!entry.isEmpty() && (Files.isDirectory(path)
                || Files.isRegularFile(path) && path.getFileName().toString().endsWith("-tests.jar"))) {
                roots.add(path);
            }
        }
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClasspathRoots(roots))
            .filters(TagFilter.includeTags(tag))
            // Every test and lifecycle method gets a bound, on a thread of its own, so that one
            // blocked in an uninterruptible wait fails by name instead of holding dom0 until the
            // harness's timeout kills QEMU with no report.
            .configurationParameter("junit.jupiter.execution.timeout.default", DEFAULT_TIMEOUT)
            .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
            .configurationParameter("junit.jupiter.testclass.order.default",
                ClassOrderer.OrderAnnotation.class.getName())
            .build();

        final StringBuilder details = new StringBuilder();
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final long started = System.nanoTime();
        final Map<String, Long> startedAt = new ConcurrentHashMap<>();
        final TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionStarted(final TestIdentifier test) {
                // Printed only: where a run that hangs was.
                System.out.println("[dom0-test] START " + name(test));
                startedAt.put(test.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionSkipped(final TestIdentifier test, final String reason) {
                if (test.isTest()) {
                    skipped.incrementAndGet();
                    line("SKIP " + name(test) + ": " + reason);
                }
            }

            @Override
            public void executionFinished(final TestIdentifier test, final TestExecutionResult result) {
                final boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                if (test.isTest() || !ok) {
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> passed.incrementAndGet();
                        case ABORTED -> skipped.incrementAndGet();
                        case FAILED -> failed.incrementAndGet();
                    }
                    // How long each took: under TCG a test near its timeout shows here before it fails.
                    final Long at = startedAt.remove(test.getUniqueId());
                    line(result.getStatus() + " " + name(test)
                        + (at == null ? "" : String.format(" (%.1f s)", (System.nanoTime() - at) / 1e9)));
                    result.getThrowable().ifPresent(t -> {
                        final StringWriter trace = new StringWriter();
                        t.printStackTrace(new PrintWriter(trace));
                        details.append(trace).append('\n');
                    });
                }
            }

            private void line(final String text) {
                System.out.println("[dom0-test] " + text);
                details.append(text).append('\n');
            }

            private String name(final TestIdentifier test) {
                return test.getUniqueIdObject().getSegments().stream()
                    .filter(s -> !s.getType().equals("engine"))
                    .map(s -> s.getValue().replaceFirst("^.*\\.", ""))
                    .reduce((a, b) -> a + "." + b).orElse(test.getDisplayName());
            }
        };

        final Launcher launcher = LauncherFactory.create();
        final TestPlan plan = launcher.discover(request);
        final long found = plan.countTestIdentifiers(TestIdentifier::isTest);
        launcher.execute(plan, listener);
        final double seconds = (System.nanoTime() - started) / 1e9;

        final String summary = String.format("dom0-tests: %d passed, %d failed, %d skipped", passed.get(),
            failed.get(), skipped.get());
        System.out.printf("[dom0-test] tag %s: %d found in %s, %.1f s%n", tag, found, roots, seconds);
        System.out.println(summary);
        Files.writeString(reportDir.resolve("dom0-tests.txt"), details + summary + "\n", StandardCharsets.UTF_8);
        Files.writeString(reportDir.resolve("dom0-tests.properties"), String.join("\n",
            "tag=" + tag, "found=" + found, "passed=" + passed.get(), "failed=" + failed.get(),
            "skipped=" + skipped.get(), String.format("seconds=%.1f", seconds), ""), StandardCharsets.UTF_8);
        System.exit(found > 0 && failed.get() == 0 ? 0 : 1);
    }
}
