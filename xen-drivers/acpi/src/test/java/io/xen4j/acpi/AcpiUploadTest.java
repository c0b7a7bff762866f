package io.xen4j.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.memory.PmUpload;
import io.xen4j.hal.memory.SimulatedXen;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Uploads through the HAL of the simulated host, which records each one. */
final class AcpiUploadTest {
    @Test
    void dom0UploadsCStatesThenPStatesPerProcessor() {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final AcpiProcessorUploader up = new AcpiProcessorUploader(xen.dom0().host());
            assertEquals(2, up.upload(Samples.CPU0));
            assertEquals(1, up.upload(new ProcessorPm(8, null, Samples.PERF)));
            final List<PmUpload> uploads = xen.platformUploads();
            assertEquals(3, uploads.size());
            assertEquals(List.of(PlatformOps.XEN_PM_CX, PlatformOps.XEN_PM_PX, PlatformOps.XEN_PM_PX),
                uploads.stream().map(PmUpload::type).toList());
            assertEquals(List.of(7, 7, 8), uploads.stream().map(PmUpload::acpiId).toList());
            final List<PmCodec.Encoded> expected = PmCodec.encode(Samples.CPU0);
            assertArrayEquals(expected.get(0).pminfo(), uploads.get(0).pminfo());
            assertArrayEquals(expected.get(0).states(), uploads.get(0).states());
            assertEquals(new ProcessorPm(8, null, Samples.PERF),
                PmCodec.decode(uploads.get(2).pminfo(), uploads.get(2).states()));
        }
    }

    @Test
    void anUnprivilegedGuestCannotUpload() {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final XenHalException e = assertThrows(XenHalException.class,
                () -> new AcpiProcessorUploader(xen.createDomain("guest").host()).upload(Samples.CPU0));
            assertTrue(String.valueOf(e.getMessage()).contains("platform"), e.getMessage());
            assertEquals(0, xen.platformUploads().size());
        }
    }

    @Test
    void uploadAllGoesOnAfterARefusalAndNamesIt() {
        final int[] calls = {0};
        final PlatformOps refusingSecond = (info, off, len, states, so, sl) -> {
            if (++calls[0] == 2) {
                throw new XenHalException("XENPF_set_processor_pminfo for ACPI processor " + info.getInt(off),
                    io.xen4j.hal.api.Errno.EINVAL, "refused");
            }
        };
        final AcpiProcessorUploader.Result r = new AcpiProcessorUploader(refusingSecond)
            .uploadAll(List.of(Samples.CPU0, new ProcessorPm(9, Samples.POWER, null)));
        assertEquals(2, r.uploaded());
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).startsWith("ACPI processor 7 P-states"), r.failures().toString());
    }

}
