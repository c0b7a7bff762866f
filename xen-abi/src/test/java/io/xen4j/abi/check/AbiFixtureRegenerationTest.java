package io.xen4j.abi.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regenerates the fixtures from the real headers with gcc and fails on any difference from the
 * committed ones. Skipped where gcc or libxen-dev is missing, except when
 * {@code -Dxen4j.requireNativeChecks=true} (CI), which turns the skip into a failure.
 * {@code -Dxen4j.updateFixtures=true} writes the regenerated fixtures into the source tree.
 */
final class AbiFixtureRegenerationTest {
    private static final Path SOURCE_FIXTURES = Path.of("src/test/resources/io/xen4j/abi/check/fixtures");

    @ParameterizedTest
    @EnumSource(AbiSpec.Abi.class)
    void committedFixturesAreWhatTheInstalledHeadersSay(final AbiSpec.Abi abi) throws Exception {
        final String reason = NativeChecker.unavailableReason();
        if (reason != null) {
            if (Boolean.getBoolean("xen4j.requireNativeChecks")) {
                fail("xen4j.requireNativeChecks is set but the C checker cannot run: " + reason);
            }
            Assumptions.abort("C checker not run: " + reason);
        }
        final String source = CheckerProgram.generate(AbiSpec.load());
        final String regenerated = NativeChecker.run(source, abi, Path.of("target", "abi-check"));
        if (Boolean.getBoolean("xen4j.updateFixtures")) {
            Files.createDirectories(SOURCE_FIXTURES);
            Files.writeString(SOURCE_FIXTURES.resolve(abi.id + ".txt"), regenerated, StandardCharsets.UTF_8);
            System.out.println("xen-abi: wrote " + SOURCE_FIXTURES.resolve(abi.id + ".txt").toAbsolutePath());
            return;
        }
        assertEquals(committed(abi), regenerated, "fixture " + abi.id + ".txt differs from what gcc " + abi.gccFlag
            + " prints with the installed headers; if the spec changed, run ./mvnw -pl xen-abi verify"
            + " -Dxen4j.updateFixtures=true and review the diff");
    }

    private static String committed(final AbiSpec.Abi abi) throws IOException {
        try (InputStream in = AbiFixtureRegenerationTest.class.getResourceAsStream(
            AbiFixture.FIXTURE_RESOURCE_DIR + abi.id + ".txt")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
