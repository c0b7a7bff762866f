package io.xen4j.abi.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compares every Java constant, {@code LENGTH} and {@code *_OFFSET} with what the real Xen headers
 * say for each ABI (the committed fixtures), and checks that no Java constant escapes the spec.
 */
final class AbiLayoutTest {
    @ParameterizedTest
    @EnumSource(AbiSpec.Abi.class)
    void javaLayoutsAndConstantsMatchTheHeaders(final AbiSpec.Abi abi) throws ReflectiveOperationException {
        final AbiSpec spec = AbiSpec.load();
        final AbiFixture fixture = AbiFixture.load(abi);
        final List<String> failures = new ArrayList<>();
        int structs = 0;
        int fields = 0;
        int numbers = 0;
        int strings = 0;
        int ioctls = 0;
        int expressions = 0;
        int memberSizes = 0;
        final Set<String> declaredConstants = new HashSet<>(spec.javaOnly);
        for (final AbiSpec.Constant k : spec.constants) {
            declaredConstants.add(k.javaClass() + "#" + k.javaName());
        }

        for (final AbiSpec.Struct s : spec.structs) {
            if (!s.scope.includes(abi)) {
                continue;
            }
            structs++;
            final Class<?> type = Class.forName(s.javaClass);
            final Long size = fixture.sizes.get(s.key);
            if (size == null) {
                failures.add(s.where + ": fixture has no sizeof " + s.key + " (regenerate the fixtures)");
                continue;
            }
            check(failures, s.where + ": " + s.javaClass + ".LENGTH", size, staticLong(type, "LENGTH"));
            final Set<String> declaredOffsets = new HashSet<>();
            for (final AbiSpec.Field f : s.fields) {
                final String javaOffset = f.javaOffset();
                if (javaOffset == null) {
                    continue;
                }
                declaredOffsets.add(javaOffset);
                final AbiFixture.MemberLayout member = fixture.members.get(s.key + " " + f.designator());
                if (member == null) {
                    failures.add(s.where + ": fixture has no offsetof " + s.key + "." + f.designator());
                    continue;
                }
                fields++;
                check(failures, s.where + ": " + s.javaClass + "." + javaOffset + " (" + s.key + "." + f.designator()
                    + ")", member.offset(), staticLong(type, javaOffset));
                final String javaSize = f.javaSize();
                if (javaSize != null) {
                    memberSizes++;
                    declaredConstants.add(s.javaClass + "#" + javaSize);
                    check(failures, s.where + ": " + s.javaClass + "." + javaSize + " (sizeof " + s.key + "."
                        + f.designator() + ")", member.size(), staticLong(type, javaSize));
                }
            }
            for (final Field javaField : type.getFields()) {
                if (isConstant(javaField) && javaField.getName().endsWith("_OFFSET")
                    && !declaredOffsets.contains(javaField.getName())) {
                    failures.add(s.where + ": " + s.javaClass + "." + javaField.getName()
                        + " is not declared in the spec, so nothing checks it");
                }
            }
        }
        // Every other numeric constant of a flyweight (array lengths, per-page counts) must be checked
        // too: by a size= field option, a const or cexpr line, or marked javaonly.
        for (final AbiSpec.Struct s : spec.structs) {
            if (!s.scope.includes(abi)) {
                continue;
            }
            for (final Field javaField : Class.forName(s.javaClass).getFields()) {
                final String name = javaField.getName();
                if (isConstant(javaField) && javaField.getType().isPrimitive() && !name.endsWith("_OFFSET")
                    && !name.equals("LENGTH") && !declaredConstants.contains(s.javaClass + "#" + name)) {
                    failures.add(s.where + ": " + s.javaClass + "." + name
                        + " is not declared in the spec (size=, cexpr, const or javaonly), so nothing checks it");
                }
            }
        }

        for (final AbiSpec.Constant k : spec.constants) {
            if (!k.scope().includes(abi)) {
                continue;
            }
            final Field javaField = Class.forName(k.javaClass()).getField(k.javaName());
            final String what = k.where() + ": " + k.javaClass() + "." + k.javaName() + " (" + k.cName() + ")";
            switch (k.kind()) {
                case STRING -> {
                    strings++;
                    final String expected = fixture.strings.get(k.cName());
                    if (expected == null) {
                        failures.add(what + ": not in the fixture");
                    } else if (!expected.equals(javaField.get(null))) {
                        failures.add(what + ": C=" + expected + " Java=" + javaField.get(null));
                    }
                }
                case NUMBER, IOCTL, EXPRESSION -> {
                    final Long expected = switch (k.kind()) {
                        case IOCTL -> fixture.ioctls.get(k.cName());
                        case EXPRESSION -> fixture.expressions.get(
                            k.javaClass().substring(k.javaClass().lastIndexOf('.') + 1) + "." + k.javaName());
                        default -> fixture.numbers.get(k.cName());
                    };
                    switch (k.kind()) {
                        case IOCTL -> ioctls++;
                        case EXPRESSION -> expressions++;
                        default -> numbers++;
                    }
                    if (expected == null) {
                        failures.add(what + ": not in the fixture");
                    } else {
                        checkConstant(failures, what, expected, javaField);
                    }
                }
            }
        }
        for (final String className : spec.constantClasses) {
            for (final Field javaField : Class.forName(className).getFields()) {
                if (isConstant(javaField) && !declaredConstants.contains(className + "#" + javaField.getName())) {
                    failures.add(className + "." + javaField.getName()
                        + " is neither declared against a C macro nor marked javaonly in the spec");
                }
            }
        }

        System.out.printf("xen-abi check %s: %d structs, %d field offsets, %d member sizes, %d numeric constants,"
            + " %d C expressions, %d string constants, %d ioctl numbers checked against the headers%n",
            abi.id, structs, fields, memberSizes, numbers, expressions, strings, ioctls);
        assertTrue(failures.isEmpty(), () -> failures.size() + " mismatches for " + abi.id + ":\n  "
            + String.join("\n  ", failures));
        assertTrue(structs > 0, "no struct checked");
    }

    private static boolean isConstant(final Field field) {
        final int m = field.getModifiers();
        return Modifier.isStatic(m) && Modifier.isFinal(m) && Modifier.isPublic(m)
            && (field.getType().isPrimitive() || field.getType() == String.class);
    }

    private static long staticLong(final Class<?> type, final String name) throws ReflectiveOperationException {
        return ((Number) type.getField(name).get(null)).longValue();
    }

    private static void check(final List<String> failures, final String what, final long expected, final long actual) {
        if (expected != actual) {
            failures.add(what + ": C=" + expected + " Java=" + actual);
        }
    }

    /**
     * A C constant matches a Java constant when it fits the Java type's width, signed or unsigned,
     * and the bits agree.
     */
    static void checkConstant(final List<String> failures, final String what, final long c, final Field javaField)
        throws IllegalAccessException {
        final Object value = javaField.get(null);
        final int width;
        final long java;
        if (value instanceof Character ch) {
            width = Character.SIZE;
            java = ch;
        } else if (value instanceof Number n) {
            java = n.longValue();
            width = switch (n) {
                case Byte b -> Byte.SIZE;
                case Short s -> Short.SIZE;
                case Integer i -> Integer.SIZE;
                default -> Long.SIZE;
            };
        } else {
            failures.add(what + ": Java constant is not numeric: " + value);
            return;
        }
        if (width < Long.SIZE) {
            final long unsignedMax = (1L << width) - 1;
            final long signedMin = -(1L << (width - 1));
            if (c < signedMin || c > unsignedMax) {
                failures.add(what + ": C value " + c + " does not fit the Java " + javaField.getType() + " constant");
                return;
            }
            if ((c & unsignedMax) != (java & unsignedMax)) {
                failures.add(what + ": C=" + c + " Java=" + java);
            }
        } else if (c != java) {
            failures.add(what + ": C=" + c + " Java=" + java);
        }
    }

    @org.junit.jupiter.api.Test
    void constantComparisonRejectsWhatDoesNotFit() throws ReflectiveOperationException {
        final List<String> failures = new ArrayList<>();
        checkConstant(failures, "int max", 0xFFFF_FFFFL, Holder.class.getField("MINUS_ONE"));
        checkConstant(failures, "minus one", -1, Holder.class.getField("MINUS_ONE"));
        assertEquals(0, failures.size(), failures::toString);
        checkConstant(failures, "too wide", 1L << 32, Holder.class.getField("MINUS_ONE"));
        checkConstant(failures, "different", 5, Holder.class.getField("MINUS_ONE"));
        assertEquals(2, failures.size(), failures::toString);
    }

    /** Constants for the self-test of the comparison. */
    public static final class Holder {
        /** All bits set. */
        public static final int MINUS_ONE = -1;

        private Holder() {
        }
    }
}
