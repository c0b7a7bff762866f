package io.xen4j.acpi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link ProcessorPm} descriptions from what Linux shows under
 * {@code sys/devices/system/cpu} of a root directory ({@code /} live, a temporary tree in tests):
 *
 * <ul>
 *   <li>the ACPI id from {@code cpuN/firmware_node/uid} (the {@code _UID} of the processor's ACPI
 *       device), else the CPU number;</li>
 *   <li>P-states from {@code cpuN/cpufreq/scaling_available_frequencies} (or
 *       {@code stats/time_in_state}), the transition latency from
 *       {@code cpuinfo_transition_latency}, {@code _PPC} from {@code bios_limit}, and {@code _PSD}
 *       from {@code freqdomain_cpus} or {@code related_cpus} with {@code affected_cpus};</li>
 *   <li>C-states from {@code cpuN/cpuidle/stateK/}{@code name}, {@code latency}, {@code power} and
 *       {@code desc} ({@code acpi_idle} writes {@code "ACPI FFH MWAIT 0x20"},
 *       {@code "ACPI IOPORT 0x414"} or {@code "ACPI HLT"}), skipping {@code POLL}.</li>
 * </ul>
 *
 * <p>What sysfs does not carry is said in {@link Result#notes()}: the {@code _PSS} control and
 * status values and the {@code _PCT} registers exist only in the ACPI tables, which need an AML
 * interpreter to evaluate; the reader leaves control and status 0 (or derives Intel's
 * {@code ratio << 8} when asked) and describes the registers as functional fixed hardware, as
 * Intel and AMD firmware does. Files are read up to 4 KiB each and at most
 * {@value #MAX_CPUS} CPUs and {@value #MAX_IDLE_STATES} idle states per CPU are looked at.
 */
public final class SysfsPmReader {
    /** The most CPUs read. */
    public static final int MAX_CPUS = 4096;
    /** The most cpuidle states read per CPU. */
    public static final int MAX_IDLE_STATES = 16;
    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d{1,5})");
    private static final Pattern DESC = Pattern.compile("(?i).*\\b(FFH|IOPORT|HLT)\\b(?:\\s+MWAIT)?\\s*(0x[0-9a-f]{1,16})?.*");

    /** How {@code _PSS} control and status values are filled in, since sysfs does not carry them. */
    public enum ControlValues {
        /** Left 0: the description is for inspection, or the caller fills them from ACPI. */
        NONE,
        /** Intel's convention for FFH P-states: the bus ratio ({@code MHz / 100}) shifted left by 8. */
        INTEL_RATIO
    }

    /**
     * What was read.
     *
     * @param processors one description per CPU with cpufreq or cpuidle data, by ACPI id
     * @param notes      what could not be known from sysfs, once per kind
     */
    public record Result(List<ProcessorPm> processors, List<String> notes) {
        /**
         * Copies the lists.
         *
         * @param processors descriptions
         * @param notes      notes
         */
        public Result {
            processors = List.copyOf(processors);
            notes = List.copyOf(notes);
        }
    }

    private SysfsPmReader() {
    }

    /**
     * Reads every CPU under {@code root/sys/devices/system/cpu}.
     *
     * @param root    the root directory
     * @param control how to fill {@code _PSS} control and status values
     * @return the descriptions and notes
     */
    public static Result read(final Path root, final ControlValues control) {
        final Path cpus = root.resolve("sys/devices/system/cpu");
        final TreeMap<Integer, Path> byNumber = new TreeMap<>();
        if (Files.isDirectory(cpus)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(cpus)) {
                for (final Path p : ds) {
                    final Matcher m = CPU_DIR.matcher(p.getFileName().toString());
                    if (m.matches() && byNumber.size() < MAX_CPUS) {
                        byNumber.put(Integer.valueOf(m.group(1)), p);
                    }
                }
            } catch (final IOException | SecurityException e) {
                return new Result(List.of(), List.of("cannot list " + cpus + ": " + e.getMessage()));
            }
        }
        final TreeSet<String> notes = new TreeSet<>();
        final List<ProcessorPm> out = new ArrayList<>();
        for (final var e : byNumber.entrySet()) {
            final Path dir = e.getValue();
            final Long uid = readLong(dir.resolve("firmware_node/uid"));
            final int acpiId = uid != null && uid >= 0 && uid <= Integer.MAX_VALUE ? uid.intValue() : e.getKey();
            if (uid == null) {
                notes.add("no firmware_node/uid: ACPI ids taken to be the CPU numbers");
            }
            final PerformanceInfo perf = performance(dir.resolve("cpufreq"), e.getKey(), control, notes);
            final PowerInfo power = power(dir.resolve("cpuidle"), notes);
            if (perf != null || power != null) {
                out.add(new ProcessorPm(acpiId, power, perf));
            }
        }
        return new Result(out, List.copyOf(notes));
    }

    private static @Nullable PerformanceInfo performance(final Path freq, final int cpu, final ControlValues control,
                                                         final TreeSet<String> notes) {
        if (!Files.isDirectory(freq)) {
            return null;
        }
        final TreeSet<Long> khz = new TreeSet<>();
        final String avail = read(freq.resolve("scaling_available_frequencies"));
        if (avail != null) {
            for (final String s : avail.split("\\s+")) {
                addPositive(khz, s);
            }
        } else {
            final String tis = read(freq.resolve("stats/time_in_state"));
            if (tis != null) {
                for (final String line : tis.split("\n")) {
                    addPositive(khz, line.strip().split("\\s+")[0]);
                }
            }
        }
        if (khz.isEmpty()) {
            notes.add("cpufreq without a list of frequencies: no P-states");
            return null;
        }
        final Long latNs = readLong(freq.resolve("cpuinfo_transition_latency"));
        // sysfs gives nanoseconds (CPUFREQ_ETERNAL, -1, when unknown); _PSS has microseconds.
        final long latUs = latNs == null || latNs < 0 ? 10 : Math.max(1, (latNs + 999) / 1000);
        final List<PState> states = new ArrayList<>();
        for (final Long k : khz.descendingSet()) {
            if (states.size() >= PerformanceInfo.MAX_STATES) {
                break;
            }
            final long mhz = k / 1000;
            final long value = control == ControlValues.INTEL_RATIO ? (mhz / 100) << 8 : 0;
            states.add(new PState(mhz, 0, latUs, latUs, value, value));
        }
        notes.add("_PSS power and control/status values are not in sysfs: power 0, control/status "
            + (control == ControlValues.INTEL_RATIO ? "Intel ratio << 8" : "0"));
        notes.add("_PCT registers are not in sysfs: described as functional fixed hardware");
        int limit = 0;
        final Long bios = readLong(freq.resolve("bios_limit"));
        if (bios != null) {
            while (limit < states.size() - 1 && states.get(limit).coreFrequencyMhz() * 1000 > bios) {
                limit++;
            }
        }
        Psd psd = null;
        TreeSet<Integer> domain = cpuList(read(freq.resolve("freqdomain_cpus")));
        if (domain.isEmpty()) {
            domain = cpuList(read(freq.resolve("related_cpus")));
        }
        final TreeSet<Integer> affected = cpuList(read(freq.resolve("affected_cpus")));
        if (!domain.isEmpty()) {
            // One CPU changing the frequency for itself in a shared domain means the hardware coordinates.
            final long coord = domain.size() > 1 && affected.size() == 1 ? Psd.HW_ALL : Psd.SW_ALL;
            psd = new Psd(domain.first(), coord, domain.size());
        } else {
            psd = new Psd(cpu, Psd.SW_ALL, 1);
        }
        return new PerformanceInfo(limit, PctRegister.FIXED_HARDWARE, PctRegister.FIXED_HARDWARE, states, psd);
    }

    private static @Nullable PowerInfo power(final Path idle, final TreeSet<String> notes) {
        if (!Files.isDirectory(idle)) {
            return null;
        }
        final List<CState> states = new ArrayList<>();
        for (int k = 0; k < MAX_IDLE_STATES && states.size() < PowerInfo.MAX_STATES; k++) {
            final Path st = idle.resolve("state" + k);
            if (!Files.isDirectory(st)) {
                break;
            }
            final String name = read(st.resolve("name"));
            if (name == null || name.toUpperCase(Locale.ROOT).startsWith("POLL")) {
                continue;
            }
            final Long lat = readLong(st.resolve("latency"));
            final Long pw = readLong(st.resolve("power"));
            final int type = cType(name);
            final PowerRegister reg = register(read(st.resolve("desc")));
            states.add(new CState(type, lat == null || lat < 0 || lat > 0xFFFF_FFFFL ? 0 : lat,
                // cpuidle reports an unknown power as -1 or (u32)-1.
                pw == null || pw < 0 || pw >= 0xFFFF_FFFFL ? 0 : pw, reg));
        }
        if (states.isEmpty()) {
            return null;
        }
        return PowerInfo.of(states);
    }

    private static int cType(final String name) {
        final String n = name.toUpperCase(Locale.ROOT);
        if (n.length() >= 2 && n.charAt(0) == 'C' && Character.isDigit(n.charAt(1))) {
            final int d = n.charAt(1) - '0';
            // C10 and beyond start with C1 followed by a digit.
            if (d == 1 && n.length() >= 3 && Character.isDigit(n.charAt(2))) {
                return 3;
            }
            return Math.max(1, Math.min(3, d));
        }
        return 1;
    }

    private static PowerRegister register(final @Nullable String desc) {
        if (desc == null) {
            return PowerRegister.NONE;
        }
        final Matcher m = DESC.matcher(desc);
        if (!m.matches()) {
            return PowerRegister.NONE;
        }
        final String hex = m.group(2);
        final long addr = hex == null ? 0 : Long.parseUnsignedLong(hex.substring(2), 16);
        return switch (m.group(1).toUpperCase(Locale.ROOT)) {
            // What xen-acpi-processor passes for MWAIT: vendor Intel (1), native C-state beyond halt (2).
            case "FFH" -> new PowerRegister(PowerRegister.SPACE_FIXED_HARDWARE, 1, 2, 0, addr);
            case "IOPORT" -> new PowerRegister(PowerRegister.SPACE_SYSTEM_IO, 8, 0, 0, addr);
            default -> PowerRegister.NONE;
        };
    }

    static TreeSet<Integer> cpuList(final @Nullable String text) {
        final TreeSet<Integer> cpus = new TreeSet<>();
        if (text == null) {
            return cpus;
        }
        for (final String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            final int dash = part.indexOf('-');
            try {
                final int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                final int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
                for (int c = lo; c <= hi && c >= 0 && cpus.size() < MAX_CPUS; c++) {
                    cpus.add(c);
                }
            } catch (final NumberFormatException e) {
                // A malformed entry is skipped; the rest of the list still counts.
            }
        }
        return cpus;
    }

    private static void addPositive(final TreeSet<Long> set, final String s) {
        try {
            final long v = Long.parseLong(s);
            if (v > 0 && set.size() < PerformanceInfo.MAX_STATES * 2) {
                set.add(v);
            }
        } catch (final NumberFormatException e) {
            // Not a frequency: skipped.
        }
    }

    private static @Nullable String read(final Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).replace("\0", "").strip();
        } catch (final IOException | SecurityException e) {
            return null;
        }
    }

    private static @Nullable Long readLong(final Path file) {
        final String s = read(file);
        if (s == null) {
            return null;
        }
        try {
            return Long.valueOf(s);
        } catch (final NumberFormatException e) {
            return null;
        }
    }
}
