package io.xen4j.acpi;

import java.util.List;

/** A fixed two-processor description, the kind a Skylake server's ACPI tables give. */
final class Samples {
    private Samples() {
    }

    static final PowerInfo POWER = new PowerInfo(List.of(
        new CState(1, 2, 1000, new PowerRegister(0x7F, 1, 2, 1, 0x00)),
        new CState(2, 33, 500, new PowerRegister(0x7F, 1, 2, 1, 0x20)),
        new CState(3, 133, 200, new PowerRegister(1, 8, 0, 0, 0x414))), true, true, true, false);

    static final PerformanceInfo PERF = new PerformanceInfo(1,
        new PctRegister(0x82, 12, 0x7F, 64, 0, 0x199), new PctRegister(0x82, 12, 0x7F, 16, 0, 0x198),
        List.of(new PState(2901, 150_000, 10, 10, 0x2300, 0x2300),
            new PState(2900, 150_000, 10, 10, 0x1D00, 0x1D00),
            new PState(1200, 60_000, 10, 10, 0x0C00, 0x0C00)),
        new Psd(4, Psd.SW_ANY, 2));

    static final ProcessorPm CPU0 = new ProcessorPm(7, POWER, PERF);
}
