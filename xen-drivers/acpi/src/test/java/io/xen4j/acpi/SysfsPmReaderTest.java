package io.xen4j.acpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading cpufreq and cpuidle from fake sysfs trees. */
final class SysfsPmReaderTest {
    @TempDir
    Path root;

    private void file(final String rel, final String content) throws IOException {
        final Path p = root.resolve("sys/devices/system/cpu").resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void acpiCpu(final int cpu, final int uid, final String related, final String affected) throws IOException {
        final String c = "cpu" + cpu + "/";
        file(c + "firmware_node/uid", uid + "\n");
        file(c + "cpufreq/scaling_available_frequencies", "2901000 2900000 2100000 1200000 \n");
        file(c + "cpufreq/cpuinfo_transition_latency", "10000\n");
        file(c + "cpufreq/bios_limit", "2900000\n");
        file(c + "cpufreq/related_cpus", related + "\n");
        file(c + "cpufreq/affected_cpus", affected + "\n");
        file(c + "cpuidle/state0/name", "POLL\n");
        file(c + "cpuidle/state0/latency", "0\n");
        file(c + "cpuidle/state1/name", "C1_ACPI\n");
        file(c + "cpuidle/state1/desc", "ACPI FFH MWAIT 0x0\n");
        file(c + "cpuidle/state1/latency", "1\n");
        file(c + "cpuidle/state1/power", "4294967295\n");
        file(c + "cpuidle/state2/name", "C2_ACPI\n");
        file(c + "cpuidle/state2/desc", "ACPI FFH MWAIT 0x20\n");
        file(c + "cpuidle/state2/latency", "127\n");
        file(c + "cpuidle/state2/power", "0\n");
        file(c + "cpuidle/state3/name", "C3_ACPI\n");
        file(c + "cpuidle/state3/desc", "ACPI IOPORT 0x415\n");
        file(c + "cpuidle/state3/latency", "1048\n");
        file(c + "cpuidle/state3/power", "350\n");
    }

    @Test
    void readsPStatesCStatesAndDependenciesOfEachCpu() throws IOException {
        acpiCpu(0, 1, "0 1", "0 1");
        acpiCpu(1, 2, "0 1", "0 1");
        acpiCpu(2, 3, "2-3", "2");
        file("cpu10/online", "1\n");
        file("cpufreq/boost", "1\n");
        final SysfsPmReader.Result r = SysfsPmReader.read(root, SysfsPmReader.ControlValues.INTEL_RATIO);
        assertEquals(List.of(1, 2, 3), r.processors().stream().map(ProcessorPm::acpiId).toList());
        final ProcessorPm p = r.processors().get(0);
        final PerformanceInfo perf = p.performance();
        assertNotNull(perf);
        assertEquals(List.of(2901L, 2900L, 2100L, 1200L), perf.states().stream().map(PState::coreFrequencyMhz).toList());
        assertEquals(10, perf.states().get(0).transitionLatencyUs());
        assertEquals(0x1500, perf.states().get(2).control());
        assertEquals(1, perf.platformLimit(), "bios_limit 2.9 GHz excludes the 2901 MHz turbo state");
        assertEquals(new Psd(0, Psd.SW_ALL, 2), perf.psd());
        assertEquals(new Psd(2, Psd.HW_ALL, 2), java.util.Objects.requireNonNull(r.processors().get(2).performance()).psd());
        final PowerInfo power = p.power();
        assertNotNull(power);
        assertEquals(3, power.states().size());
        assertEquals(new CState(1, 1, 0, new PowerRegister(0x7F, 1, 2, 0, 0)), power.states().get(0));
        assertEquals(new CState(2, 127, 0, new PowerRegister(0x7F, 1, 2, 0, 0x20)), power.states().get(1));
        assertEquals(new CState(3, 1048, 350, new PowerRegister(1, 8, 0, 0, 0x415)), power.states().get(2));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("_PCT registers are not in sysfs")), r.notes().toString());
        // Every description encodes.
        for (final ProcessorPm pm : r.processors()) {
            assertEquals(2, PmCodec.encode(pm).size());
        }
    }

    @Test
    void timeInStateAndMissingUidsAndHostileValuesAreHandled() throws IOException {
        file("cpu0/cpufreq/stats/time_in_state", "3000000 100\n800000 5\nbogus line\n-5 3\n");
        file("cpu0/cpufreq/cpuinfo_transition_latency", "4294967295\n");
        file("cpu0/cpufreq/related_cpus", "x y 0\n");
        file("cpu0/cpuidle/state0/name", "C7s-HSW\n");
        file("cpu0/cpuidle/state0/latency", "-3\n");
        file("cpu0/cpuidle/state0/desc", "MWAIT 0x33\n");
        file("cpu1/cpuidle/state0/name", "POLL\n");
        final SysfsPmReader.Result r = SysfsPmReader.read(root, SysfsPmReader.ControlValues.NONE);
        assertEquals(1, r.processors().size());
        final ProcessorPm p = r.processors().get(0);
        assertEquals(0, p.acpiId());
        assertEquals(List.of(3000L, 800L), java.util.Objects.requireNonNull(p.performance()).states().stream().map(PState::coreFrequencyMhz).toList());
        assertEquals(4_294_968, java.util.Objects.requireNonNull(p.performance()).states().get(0).transitionLatencyUs());
        assertEquals(0, java.util.Objects.requireNonNull(p.performance()).states().get(0).control());
        assertEquals(new Psd(0, Psd.SW_ALL, 1), java.util.Objects.requireNonNull(p.performance()).psd());
        assertEquals(new CState(3, 0, 0, PowerRegister.NONE), java.util.Objects.requireNonNull(p.power()).states().get(0));
        assertTrue(r.notes().contains("no firmware_node/uid: ACPI ids taken to be the CPU numbers"));
    }

    @Test
    void noSysfsMeansNoProcessors() {
        final SysfsPmReader.Result r = SysfsPmReader.read(root.resolve("absent"), SysfsPmReader.ControlValues.NONE);
        assertTrue(r.processors().isEmpty());
        assertNull(null);
    }

    @Test
    void cpuListsParseRangesAndSpaces() {
        assertEquals(java.util.Set.of(0, 1, 2, 3, 8), SysfsPmReader.cpuList("0-3,8"));
        assertEquals(java.util.Set.of(4, 5), SysfsPmReader.cpuList("4 5\n"));
        assertTrue(SysfsPmReader.cpuList("3-1 zz").isEmpty());
    }
}
