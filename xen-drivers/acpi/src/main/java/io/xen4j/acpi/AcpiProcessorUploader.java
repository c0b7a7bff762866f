package io.xen4j.acpi;

import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Submits processors' power-management data to the hypervisor with
 * {@code XENPF_set_processor_pminfo}, as Linux's {@code xen-acpi-processor} does at boot and on
 * {@code _PPC} changes: for each processor its C-states, then its P-states. Only the control
 * domain may do it.
 */
public final class AcpiProcessorUploader {
    private final PlatformOps ops;

    /**
     * Creates an uploader over a host's platform operations.
     *
     * @param host the control domain's host
     */
    public AcpiProcessorUploader(final XenHost host) {
        this(host.platformOps());
    }

    /**
     * Creates an uploader over platform operations.
     *
     * @param ops the operations
     */
    public AcpiProcessorUploader(final PlatformOps ops) {
        this.ops = Objects.requireNonNull(ops, "ops");
    }

    /**
     * What an upload of several processors achieved.
     *
     * @param uploaded the uploads the hypervisor accepted
     * @param failures one message per refused upload, naming the ACPI id, the type and the errno
     */
    public record Result(int uploaded, List<String> failures) {
        /**
         * Copies the list.
         *
         * @param uploaded accepted uploads
         * @param failures refusals
         */
        public Result {
            failures = List.copyOf(failures);
        }
    }

    /**
     * Uploads one processor.
     *
     * @param pm the processor
     * @return the uploads made (0..2)
     * @throws XenHalException naming the ACPI id, at the first refusal
     */
    public int upload(final ProcessorPm pm) {
        int n = 0;
        for (final PmCodec.Encoded e : PmCodec.encode(pm)) {
            submit(e);
            n++;
        }
        return n;
    }

    /**
     * Uploads every processor, going on after a refusal as Linux does (one processor's bad data
     * does not keep the others from being managed).
     *
     * @param processors the processors
     * @return what was accepted and what was refused
     */
    public Result uploadAll(final List<ProcessorPm> processors) {
        int ok = 0;
        final List<String> failures = new ArrayList<>();
        for (final ProcessorPm pm : processors) {
            for (final PmCodec.Encoded e : PmCodec.encode(pm)) {
                try {
                    submit(e);
                    ok++;
                } catch (final XenHalException ex) {
                    failures.add("ACPI processor " + e.acpiId() + " " + (e.type() == PlatformOps.XEN_PM_CX ? "C" : "P")
                        + "-states: " + ex.getMessage());
                }
            }
        }
        return new Result(ok, failures);
    }

    private void submit(final PmCodec.Encoded e) {
        final UnsafeBuffer info = new UnsafeBuffer(e.pminfo());
        final UnsafeBuffer states = new UnsafeBuffer(e.states());
        ops.setProcessorPmInfo(info, 0, e.pminfo().length, states, 0, e.states().length);
    }
}
