package io.xen4j.abi.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The declared list of what xen4j takes from the Xen headers: which headers, which constants, which
 * structures and fields, and which golden instances, read from the {@code spec/*.spec} files.
 *
 * <p>One directive a line; {@code #} starts a comment:
 * <pre>
 * include xen/io/blkif.h                       header to include, in order
 * class io.xen4j.abi.blkif.Blkif               Java class of the constants that follow
 * const BLKIF_OP_READ [java=NAME] [abi=A]      numeric macro; Java field of the same name by default
 * string XEN_IO_PROTO_ABI_X86_64 [java=NAME]   string macro
 * ioctl IOCTL_PRIVCMD_HYPERCALL [java=NAME]    ioctl request number (x86_64 only: the JVM is 64-bit)
 * javaonly NAME                                Java constant of the last class or struct line
 *                                              with no C counterpart (say why in a comment)
 * struct blkif_request io.xen4j.abi.blkif.BlkifRequest [abi=A]
 *                                              C type and flyweight; also union X, typedef X_t
 * field seg [java=CONST|-] [get=accessor] [size=CONST] [composite]
 *                                              member designator; its offset is CONST (default
 *                                              SEG_OFFSET), its sizeof CONST if given; composite
 *                                              members take no golden value
 * cexpr JAVA_NAME any C expression             a Java constant of the last class or struct line
 *                                              equal to a C expression (sizes, ring sizes, ...),
 *                                              checked for the ABIs of that line
 * golden name * | designator...                a golden instance: these members get distinct values
 * </pre>
 * {@code A} is {@code both} (the default), {@code x86_64} or {@code x86_32}.
 */
final class AbiSpec {
    /** Where the spec files are, as a class-path resource directory. */
    static final String SPEC_RESOURCE_DIR = "/io/xen4j/abi/check/spec";

    /** An ABI the C program is built for. */
    enum Abi {
        X86_64("x86_64", "-m64", "defined(__x86_64__)"),
        X86_32("x86_32", "-m32", "defined(__i386__)");

        final String id;
        final String gccFlag;
        final String cCondition;

        Abi(final String id, final String gccFlag, final String cCondition) {
            this.id = id;
            this.gccFlag = gccFlag;
            this.cCondition = cCondition;
        }
    }

    /** Which ABIs a declaration is checked for. */
    enum Scope {
        BOTH, X86_64, X86_32;

        boolean includes(final Abi abi) {
            return this == BOTH || name().equals(abi.name());
        }

        String cCondition() {
            return switch (this) {
                case BOTH -> "1";
                case X86_64 -> Abi.X86_64.cCondition;
                case X86_32 -> Abi.X86_32.cCondition;
            };
        }

        static Scope parse(final @Nullable String value, final String where) {
            if (value == null || value.equals("both")) {
                return BOTH;
            }
            return switch (value) {
                case "x86_64" -> X86_64;
                case "x86_32" -> X86_32;
                default -> throw new IllegalArgumentException(where + ": abi=" + value);
            };
        }
    }

    /** Kind of a constant. */
    enum ConstKind { NUMBER, STRING, IOCTL, EXPRESSION }

    record Constant(ConstKind kind, String cName, String javaClass, String javaName, Scope scope, String where) {
    }

    record Field(String designator, @Nullable String javaOffset, @Nullable String accessor, boolean composite,
                 @Nullable String javaSize) {
        /** The Java accessor by convention: identifiers camel-cased, indices dropped. */
        String accessorName() {
            if (accessor != null) {
                return accessor;
            }
            final String[] parts = designator.replaceAll("\\[[0-9]+]", "").split("[._]");
            final StringBuilder name = new StringBuilder(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                name.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
            }
            return name.toString();
        }

        /** The array indices in the designator, in order: the accessor's leading arguments. */
        int[] indices() {
            return java.util.regex.Pattern.compile("\\[([0-9]+)]").matcher(designator).results()
                .mapToInt(m -> Integer.parseInt(m.group(1))).toArray();
        }

        static String defaultOffsetName(final String designator) {
            return designator.replaceAll("\\[[0-9]+]", "").replace('.', '_').toUpperCase(Locale.ROOT) + "_OFFSET";
        }
    }

    record Golden(String name, List<Field> fields) {
    }

    static final class Struct {
        final String cType;
        final String key;
        final String javaClass;
        final Scope scope;
        final String where;
        final List<Field> fields = new ArrayList<>();
        final List<Golden> goldens = new ArrayList<>();

        Struct(final String cType, final String key, final String javaClass, final Scope scope, final String where) {
            this.cType = cType;
            this.key = key;
            this.javaClass = javaClass;
            this.scope = scope;
            this.where = where;
        }

        @Nullable Field field(final String designator) {
            for (final Field f : fields) {
                if (f.designator().equals(designator)) {
                    return f;
                }
            }
            return null;
        }
    }

    final List<String> includes = new ArrayList<>();
    final List<Constant> constants = new ArrayList<>();
    final List<Struct> structs = new ArrayList<>();
    /** Java constants with no C counterpart, as {@code class#NAME}. */
    final Set<String> javaOnly = new LinkedHashSet<>();
    /** Classes named by {@code class} lines: each of their constants must be declared. */
    final Set<String> constantClasses = new LinkedHashSet<>();

    /** Reads every {@code *.spec} file of the spec directory, in file-name order. */
    static AbiSpec load() {
        final URL url = AbiSpec.class.getResource(SPEC_RESOURCE_DIR);
        if (url == null) {
            throw new IllegalStateException("no spec directory on the class path: " + SPEC_RESOURCE_DIR);
        }
        final AbiSpec spec = new AbiSpec();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            for (final Path file : files.filter(p -> p.toString().endsWith(".spec")).sorted().toList()) {
                spec.parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return spec;
    }

    private void parse(final String fileName, final List<String> lines) {
        // Constants belong to the class of the last class or struct line.
        @Nullable String constantClass = null;
        // ... and are checked for the ABIs of that struct line (both for a class line).
        Scope constantScope = Scope.BOTH;
        @Nullable Struct struct = null;
        for (int i = 0; i < lines.size(); i++) {
            final String where = fileName + ":" + (i + 1);
            final String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            final String[] words = line.split("\\s+");
            final Options options = new Options(words, where);
            switch (words[0]) {
                case "include" -> {
                    if (!includes.contains(words[1])) {
                        includes.add(words[1]);
                    }
                }
                case "class" -> {
                    constantClass = words[1];
                    constantScope = Scope.BOTH;
                    constantClasses.add(constantClass);
                }
                case "const", "string", "ioctl" -> {
                    if (constantClass == null) {
                        throw new IllegalArgumentException(where + ": " + words[0] + " before any class line");
                    }
                    final ConstKind kind = switch (words[0]) {
                        case "const" -> ConstKind.NUMBER;
                        case "string" -> ConstKind.STRING;
                        default -> ConstKind.IOCTL;
                    };
                    final Scope scope = kind == ConstKind.IOCTL
                        ? Scope.X86_64 : Scope.parse(options.get("abi"), where);
                    constants.add(new Constant(kind, words[1], constantClass,
                        options.getOr("java", words[1]), scope, where));
                }
                case "javaonly" -> {
                    if (constantClass == null) {
                        throw new IllegalArgumentException(where + ": javaonly before any class line");
                    }
                    javaOnly.add(constantClass + "#" + words[1]);
                }
                case "cexpr" -> {
                    if (constantClass == null || words.length < 3) {
                        throw new IllegalArgumentException(where + ": cexpr needs a class or struct line and an expression");
                    }
                    final String expression = line.substring(line.indexOf(words[1]) + words[1].length()).strip();
                    constants.add(new Constant(ConstKind.EXPRESSION, expression, constantClass, words[1], constantScope,
                        where));
                }
                case "struct", "union", "typedef" -> {
                    final String cType = words[0].equals("typedef") ? words[1] : words[0] + " " + words[1];
                    struct = new Struct(cType, words[1], words[2], Scope.parse(options.get("abi"), where), where);
                    constantClass = words[2];
                    constantScope = struct.scope;
                    structs.add(struct);
                }
                case "field" -> {
                    if (struct == null) {
                        throw new IllegalArgumentException(where + ": field before any struct line");
                    }
                    final String java = options.getOr("java", Field.defaultOffsetName(words[1]));
                    struct.fields.add(new Field(words[1], java.equals("-") ? null : java, options.get("get"),
                        options.has("composite"), options.get("size")));
                }
                case "golden" -> {
                    if (struct == null) {
                        throw new IllegalArgumentException(where + ": golden before any struct line");
                    }
                    final List<Field> fields = new ArrayList<>();
                    if (words.length == 3 && words[2].equals("*")) {
                        struct.fields.stream().filter(f -> !f.composite()).forEach(fields::add);
                    } else {
                        for (int w = 2; w < words.length; w++) {
                            final Field declared = struct.field(words[w]);
                            fields.add(declared != null ? declared : new Field(words[w], null, null, false, null));
                        }
                    }
                    struct.goldens.add(new Golden(words[1], fields));
                }
                default -> throw new IllegalArgumentException(where + ": unknown directive " + words[0]);
            }
        }
    }

    /** The {@code key=value} and flag words after a directive's positional words. */
    private static final class Options {
        private final String[] words;

        Options(final String[] words, final String where) {
            this.words = words;
            for (final String w : words) {
                if (w.isEmpty()) {
                    throw new IllegalArgumentException(where + ": empty word");
                }
            }
        }

        @Nullable String get(final String key) {
            for (final String w : words) {
                if (w.startsWith(key + "=")) {
                    return w.substring(key.length() + 1);
                }
            }
            return null;
        }

        String getOr(final String key, final String fallback) {
            final String value = get(key);
            return value != null ? value : fallback;
        }

        boolean has(final String flag) {
            for (final String w : words) {
                if (w.equals(flag)) {
                    return true;
                }
            }
            return false;
        }
    }
}
