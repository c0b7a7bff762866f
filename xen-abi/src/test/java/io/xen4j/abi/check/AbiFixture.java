package io.xen4j.abi.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The output of the checker program for one ABI: what the real headers say, as committed in
 * {@code fixtures/<abi>.txt}.
 */
final class AbiFixture {
    static final String FIXTURE_RESOURCE_DIR = "/io/xen4j/abi/check/fixtures/";

    record MemberLayout(long offset, long size) {
    }

    record GoldenField(String designator, long offset, long size, boolean signed, long value) {
    }

    final String abi;
    final Map<String, Long> sizes = new HashMap<>();
    /** Keyed by {@code structKey + " " + designator}. */
    final Map<String, MemberLayout> members = new HashMap<>();
    final Map<String, Long> numbers = new HashMap<>();
    final Map<String, Long> ioctls = new HashMap<>();
    /** Keyed by {@code SimpleClassName.JAVA_NAME}. */
    final Map<String, Long> expressions = new HashMap<>();
    final Map<String, String> strings = new HashMap<>();
    /** Keyed by {@code structKey + " " + goldenName}. */
    final Map<String, byte[]> goldenBytes = new HashMap<>();
    final Map<String, List<GoldenField>> goldenFields = new HashMap<>();

    private AbiFixture(final String abi) {
        this.abi = abi;
    }

    static AbiFixture load(final AbiSpec.Abi abi) {
        final String name = FIXTURE_RESOURCE_DIR + abi.id + ".txt";
        try (InputStream in = AbiFixture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name
                    + ": run ./mvnw -pl xen-abi verify -Dxen4j.updateFixtures=true with gcc and libxen-dev installed");
            }
            return parse(abi.id, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AbiFixture parse(final String expectedAbi, final String text) {
        final AbiFixture fixture = new AbiFixture(expectedAbi);
        final String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals("abi " + expectedAbi)) {
            throw new IllegalArgumentException("fixture does not start with 'abi " + expectedAbi + "'");
        }
        for (int i = 1; i < lines.length; i++) {
            final String[] w = lines[i].split(" ");
            switch (w[0]) {
                case "sizeof" -> fixture.sizes.put(w[1], Long.parseLong(w[2]));
                case "offsetof" -> fixture.members.put(w[1] + " " + w[2],
                    new MemberLayout(Long.parseLong(w[3]), Long.parseLong(w[4])));
                case "const" -> fixture.numbers.put(w[1], Long.parseLong(w[2]));
                case "ioctl" -> fixture.ioctls.put(w[1], Long.parseLong(w[2]));
                case "cexpr" -> fixture.expressions.put(w[1], Long.parseLong(w[2]));
                case "string" -> fixture.strings.put(w[1], lines[i].split(" ", 3)[2]);
                case "golden" -> fixture.goldenBytes.put(w[1] + " " + w[2], HexFormat.of().parseHex(w[3]));
                case "goldenfield" -> fixture.goldenFields.computeIfAbsent(w[1] + " " + w[2], k -> new ArrayList<>())
                    .add(new GoldenField(w[3], Long.parseLong(w[4]), Long.parseLong(w[5]), w[6].equals("s"),
                        Long.parseUnsignedLong(w[7], 16)));
                default -> throw new IllegalArgumentException("fixture line " + (i + 1) + ": " + lines[i]);
            }
        }
        return fixture;
    }
}
