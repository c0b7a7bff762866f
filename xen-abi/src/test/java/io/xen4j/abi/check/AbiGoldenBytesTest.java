package io.xen4j.abi.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * For every golden instance the C program filled with distinct member values, the Java flyweight
 * decodes the C bytes to the same values and encodes the values to the same bytes.
 */
final class AbiGoldenBytesTest {
    /** Structures are wrapped this far into a larger buffer, so offset arithmetic shows. */
    private static final int WRAP_OFFSET = 24;

    @ParameterizedTest
    @EnumSource(AbiSpec.Abi.class)
    void flyweightsDecodeAndEncodeTheBytesOfTheCHeaders(final AbiSpec.Abi abi) throws ReflectiveOperationException {
        final AbiSpec spec = AbiSpec.load();
        final AbiFixture fixture = AbiFixture.load(abi);
        final List<String> failures = new ArrayList<>();
        int instances = 0;
        int values = 0;
        for (final AbiSpec.Struct s : spec.structs) {
            if (!s.scope.includes(abi)) {
                continue;
            }
            final Class<?> type = Class.forName(s.javaClass);
            for (final AbiSpec.Golden golden : s.goldens) {
                final String key = s.key + " " + golden.name();
                final String where = s.where + ": " + s.javaClass + " golden " + golden.name();
                final byte[] bytes = fixture.goldenBytes.get(key);
                final List<AbiFixture.GoldenField> cFields = fixture.goldenFields.get(key);
                if (bytes == null || cFields == null || cFields.size() != golden.fields().size()) {
                    failures.add(where + ": not in the fixture (regenerate the fixtures)");
                    continue;
                }
                instances++;
                values += cFields.size();
                decode(failures, where, type, golden, cFields, bytes);
                encode(failures, where, type, golden, cFields, bytes);
            }
        }
        System.out.printf("xen-abi golden bytes %s: %d instances, %d member values decoded and encoded%n",
            abi.id, instances, values);
        assertTrue(failures.isEmpty(), () -> failures.size() + " golden mismatches for " + abi.id + ":\n  "
            + String.join("\n  ", failures));
        assertTrue(instances > 0, "no golden instance checked");
    }

    private static void decode(
        final List<String> failures, final String where, final Class<?> type, final AbiSpec.Golden golden,
        final List<AbiFixture.GoldenField> cFields, final byte[] bytes) throws ReflectiveOperationException {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WRAP_OFFSET + bytes.length + WRAP_OFFSET]);
        buffer.putBytes(WRAP_OFFSET, bytes);
        final Object flyweight = wrap(type, buffer);
        for (int i = 0; i < cFields.size(); i++) {
            final AbiSpec.Field field = golden.fields().get(i);
            final AbiFixture.GoldenField c = cFields.get(i);
            final int[] indices = field.indices();
            final Method getter = accessor(type, field.accessorName(), indices.length, false);
            if (getter == null) {
                failures.add(where + ": no getter " + field.accessorName() + " with " + indices.length
                    + " index argument(s) for " + field.designator());
                continue;
            }
            final Object got = invoke(getter, flyweight, indices, null);
            final String problem = compare(got, getter.getReturnType(), c);
            if (problem != null) {
                failures.add(where + ": " + field.designator() + " via " + getter.getName() + ": " + problem);
            }
        }
    }

    private static void encode(
        final List<String> failures, final String where, final Class<?> type, final AbiSpec.Golden golden,
        final List<AbiFixture.GoldenField> cFields, final byte[] bytes) throws ReflectiveOperationException {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WRAP_OFFSET + bytes.length + WRAP_OFFSET]);
        final Object flyweight = wrap(type, buffer);
        for (int i = 0; i < cFields.size(); i++) {
            final AbiSpec.Field field = golden.fields().get(i);
            final int[] indices = field.indices();
            final Method setter = accessor(type, field.accessorName(), indices.length + 1, true);
            if (setter == null) {
                failures.add(where + ": no setter " + field.accessorName() + " with " + indices.length
                    + " index argument(s) and a value for " + field.designator());
                continue;
            }
            invoke(setter, flyweight, indices, cFields.get(i).value());
        }
        final byte[] encoded = new byte[buffer.capacity()];
        buffer.getBytes(0, encoded);
        final byte[] expected = new byte[encoded.length];
        System.arraycopy(bytes, 0, expected, WRAP_OFFSET, bytes.length);
        if (!java.util.Arrays.equals(expected, encoded)) {
            failures.add(where + ": encoded bytes differ\n    C:    " + HexFormat.of().formatHex(expected)
                + "\n    Java: " + HexFormat.of().formatHex(encoded));
        }
    }

    private static Object wrap(final Class<?> type, final MutableDirectBuffer buffer)
        throws ReflectiveOperationException {
        final Object flyweight = type.getConstructor().newInstance();
        type.getMethod("wrap", MutableDirectBuffer.class, int.class).invoke(flyweight, buffer, WRAP_OFFSET);
        return flyweight;
    }

    private static @Nullable Method accessor(
        final Class<?> type, final String name, final int parameters, final boolean setter) {
        for (final Method m : type.getMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != parameters
                || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            final Class<?>[] p = m.getParameterTypes();
            boolean indicesAreInts = true;
            for (int i = 0; i < (setter ? p.length - 1 : p.length); i++) {
                indicesAreInts &= p[i] == int.class;
            }
            if (indicesAreInts && (setter || m.getReturnType() != void.class)) {
                return m;
            }
        }
        return null;
    }

    private static @Nullable Object invoke(
        final Method m, final Object target, final int[] indices, final @Nullable Long value)
        throws IllegalAccessException {
        final Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < indices.length; i++) {
            args[i] = indices[i];
        }
        if (value != null) {
            final Class<?> t = m.getParameterTypes()[indices.length];
            final long v = value;
            args[indices.length] = t == long.class ? (Object) v
                : t == int.class ? (Object) (int) v
                : t == short.class ? (Object) (short) v
                : t == byte.class ? (Object) (byte) v
                : t == char.class ? (Object) (char) v
                : (Object) v;
        }
        try {
            return m.invoke(target, args);
        } catch (final InvocationTargetException e) {
            throw new AssertionError(m + " threw", e.getCause());
        }
    }

    /**
     * What is wrong with a decoded value, or null. A Java type wider than the C member must carry
     * the exact value (zero- or sign-extended); one as wide must carry the same bits, which only
     * 32- and 64-bit unsigned members may use (Java has no unsigned types).
     */
    static @Nullable String compare(final @Nullable Object got, final Class<?> javaType, final AbiFixture.GoldenField c) {
        if (got == null) {
            return "null";
        }
        final long value = got instanceof Character ch ? ch : ((Number) got).longValue();
        final int javaWidth = javaType == long.class ? 64 : javaType == int.class ? 32
            : javaType == short.class || javaType == char.class ? 16 : javaType == byte.class ? 8 : 0;
        final int cWidth = (int) c.size() * 8;
        final long expected = c.signed() && cWidth < 64 ? (c.value() << (64 - cWidth)) >> (64 - cWidth) : c.value();
        if (javaWidth < cWidth) {
            return "Java " + javaType + " is narrower than the " + cWidth + "-bit member";
        }
        if (javaWidth > cWidth) {
            return value == expected ? null : "C=" + expected + " Java=" + value;
        }
        if (!c.signed() && cWidth < 32 && javaType != char.class) {
            return "unsigned " + cWidth + "-bit member returned as a signed Java " + javaType;
        }
        final long mask = cWidth == 64 ? -1L : (1L << cWidth) - 1;
        return (value & mask) == (expected & mask) ? null : "C=0x" + Long.toHexString(expected)
            + " Java=0x" + Long.toHexString(value);
    }
}
