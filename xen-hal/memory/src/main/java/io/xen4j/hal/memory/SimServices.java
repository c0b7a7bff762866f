package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import io.xen4j.abi.sched.SchedOp;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.ForeignMemory;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.Hypercalls;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.MemoryReservation;
import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.Timer;
import io.xen4j.hal.api.TimerHandler;
import io.xen4j.hal.api.Timers;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The stateless services of a simulated host: each call takes the hypervisor lock and hands the
 * request to the hypervisor's cores.
 */
final class SimServices {
    private SimServices() {
    }

    /** gntalloc and gntdev. */
    static final class Grants implements GrantTables {
        private final SimHost host;

        Grants(final SimHost host) {
            this.host = host;
        }

        @Override
        public SharedPages share(final int remoteDomid, final int pageCount, final boolean writable) {
            return host.locked(Grants::shareName, remoteDomid, pageCount, writable,
                (h, remote, count, w) -> h.hv.grantOps.share(h, remote, count, w));
        }

        private static String shareName(final SimHost h, final int remote, final int count, final boolean writable) {
            return GrantCore.shareName(h.domain, remote, count, writable);
        }

        @Override
        public MappedGrants map(final int remoteDomid, final int[] refs, final boolean writable) {
            Objects.requireNonNull(refs, "refs");
            // A private copy: the caller may change its array while the mapping lives.
            return map(refs.clone(), remoteDomid, writable);
        }

        @Override
        public MappedGrants map(final int remoteDomid, final int ref, final boolean writable) {
            return map(new int[] {ref}, remoteDomid, writable);
        }

        private MappedGrants map(final int[] refs, final int remoteDomid, final boolean writable) {
            return host.locked(Grants::mapName, refs, remoteDomid, writable, Grants::mapLocked);
        }

        private static String mapName(final SimHost h, final int[] refs, final int remote, final boolean writable) {
            return GrantCore.mapName(h.domain, remote, refs, writable);
        }

        private static MappedGrants mapLocked(final SimHost h, final int[] refs, final int remote, final boolean writable) {
            return h.hv.grantOps.map(h, remote, refs, writable);
        }

        @Override
        public void copy(final GrantCopyBatch batch) {
            host.locked(Grants::copyName, batch, 0, false, Grants::copyLocked);
        }

        private static String copyName(final SimHost h, final GrantCopyBatch batch, final int unused, final boolean unused2) {
            return GrantCore.copyName(h.domain, batch);
        }

        private static @Nullable Void copyLocked(final SimHost h, final GrantCopyBatch batch, final int unused,
            final boolean unused2) {
            h.hv.grantOps.copy(h, batch);
            return null;
        }
    }

    /** privcmd mappings. */
    static final class Foreign implements ForeignMemory {
        private final SimHost host;

        Foreign(final SimHost host) {
            this.host = host;
        }

        @Override
        public ForeignMapping mapFrames(final int domid, final long[] gfns, final boolean writable) {
            return host.locked(Foreign::mapFramesName, gfns.clone(), domid, writable,
                (h, frames, remote, w) -> h.hv.memoryOps.mapFrames(h, remote, frames, w));
        }

        private static String mapFramesName(final SimHost h, final long[] gfns, final int domid, final boolean writable) {
            return MemoryCore.mapFramesName(h, domid, gfns, writable);
        }

        @Override
        public ForeignMapping mapResource(final int domid, final int type, final int id, final int frame,
            final int count, final boolean writable) {
            return host.locked(MemoryCore.mapResourceName(domid, type, id, frame, count),
                (h, unused, n, f) -> h.hv.memoryOps.mapResource(h, domid, type, id, frame, count, writable));
        }
    }

    /** The balloon's hypercalls. */
    static final class Reservation implements MemoryReservation {
        private final SimHost host;

        Reservation(final SimHost host) {
            this.host = host;
        }

        private static String currentName(final SimHost h, final @Nullable Object unused, final int n, final boolean f) {
            return reservationName("current", h);
        }

        private static String maximumName(final SimHost h, final @Nullable Object unused, final int n, final boolean f) {
            return reservationName("maximum", h);
        }

        private static String increaseName(final SimHost h, final long[] unused, final int n, final boolean f) {
            return reservationName("increase", h);
        }

        private static String decreaseName(final SimHost h, final long[] unused, final int n, final boolean f) {
            return reservationName("decrease", h);
        }

        @Override
        public long currentPages() {
            return host.locked(Reservation::currentName, null, 0, false, (h, unused, n, f) -> h.domain.memory.populatedCount());
        }

        @Override
        public long maximumPages() {
            return host.locked(Reservation::maximumName, null, 0, false, (h, unused, n, f) -> h.domain.memory.maxPages);
        }

        @Override
        public int increaseReservation(final long[] gfns, final int count) {
            return host.locked(Reservation::increaseName, gfns, count, false,
                (h, frames, n, f) -> h.hv.memoryOps.increase(h.domain, frames, n));
        }

        @Override
        public int decreaseReservation(final long[] gfns, final int count) {
            return host.locked(Reservation::decreaseName, gfns, count, false,
                (h, frames, n, f) -> h.hv.memoryOps.decrease(h.domain, frames, n));
        }
    }

    /** The reservation's operation names, for the error of an unusable host. */
    private static String reservationName(final String what, final SimHost h) {
        return what + " reservation of dom" + h.domain.domid;
    }

    /** Raw hypercalls: the few that take no pointers. */
    static final class Calls implements Hypercalls {
        private final SimHost host;

        Calls(final SimHost host) {
            this.host = host;
        }

        @Override
        public long hypercall(final int op, final long... args) {
            if (args.length > 5) {
                throw new IllegalArgumentException("a hypercall takes at most 5 arguments, got " + args.length);
            }
            final String what = "hypercall " + op + " by dom" + host.domain.domid;
            host.locked(what, (h, unused, n, f) -> null);
            final long cmd = args.length > 0 ? args[0] : -1;
            if (op == Xen.HYPERVISOR_XEN_VERSION && cmd == XENVER_VERSION) {
                final Hypervisor.Settings s = host.hv.settings;
                return (long) s.versionMajor() << 16 | s.versionMinor();
            }
            if (op == Xen.HYPERVISOR_SCHED_OP && cmd == SchedOp.SCHEDOP_YIELD) {
                // Nothing to yield to: the simulated vCPU is the caller's thread.
                return 0;
            }
            throw new XenHalException(what + (args.length > 0 ? " cmd " + cmd : ""), Errno.ENOSYS,
                "the simulated host implements only xen_version(XENVER_version) and sched_op(SCHEDOP_yield): "
                    + "other hypercalls take pointers into the caller's memory");
        }
    }

    /** One-shot vCPU timers on the simulated clock. */
    static final class VcpuTimers implements Timers {
        private final SimHost host;

        VcpuTimers(final SimHost host) {
            this.host = host;
        }

        @Override
        public int vcpuCount() {
            return host.domain.config.vcpus();
        }

        @Override
        public Timer schedule(final int vcpu, final long deadlineNanos, final TimerHandler handler) {
            Objects.requireNonNull(handler, "handler");
            final String op = "set timer of dom" + host.domain.domid + " vcpu " + vcpu + " at " + deadlineNanos + "ns";
            return host.locked(op, (h, unused, n, f) -> {
                if (vcpu < 0 || vcpu >= host.domain.config.vcpus()) {
                    throw new XenHalException(op, Errno.EINVAL, "dom" + host.domain.domid + " has vcpus 0.."
                        + (host.domain.config.vcpus() - 1));
                }
                final SimTimer pending = host.domain.vcpuTimers[vcpu];
                if (pending != null) {
                    throw new XenHalException(op, Errno.EBUSY, "the vcpu's timer is set for " + pending.deadline
                        + "ns; close it first");
                }
                final SimTimer t = new SimTimer(host, vcpu, deadlineNanos, handler);
                t.arm();
                host.register(t);
                return t;
            });
        }
    }

    /** Platform operations: records processor PM uploads; reads the physical CPUs' idle time. */
    static final class Platform implements PlatformOps {
        private final SimHost host;

        Platform(final SimHost host) {
            this.host = host;
        }

        @Override
        public void setProcessorPmInfo(
            final DirectBuffer pminfo, final int pminfoOffset, final int pminfoLength,
            final DirectBuffer states, final int statesOffset, final int statesLength) {
            final String op = "XENPF_set_processor_pminfo by dom" + host.domain.domid;
            if (pminfoLength < 8) {
                throw new XenHalException(op, Errno.EINVAL, "the structure is " + pminfoLength
                    + " bytes, shorter than its id and type");
            }
            pminfo.boundsCheck(pminfoOffset, pminfoLength);
            states.boundsCheck(statesOffset, statesLength);
            final int id = pminfo.getInt(pminfoOffset, ByteOrder.LITTLE_ENDIAN);
            final int type = pminfo.getInt(pminfoOffset + 4, ByteOrder.LITTLE_ENDIAN);
            final String opId = op + " for ACPI processor " + Integer.toUnsignedString(id);
            if (type != XEN_PM_CX && type != XEN_PM_PX && type != XEN_PM_PDC) {
                throw new XenHalException(opId, Errno.EINVAL, "type " + type + " is not XEN_PM_CX, XEN_PM_PX or XEN_PM_PDC");
            }
            final byte[] info = new byte[pminfoLength];
            pminfo.getBytes(pminfoOffset, info);
            final byte[] array = new byte[statesLength];
            states.getBytes(statesOffset, array);
            host.locked(opId, (h, unused, n, f) -> {
                h.hv.uploads.add(new PmUpload(h.domain.domid, id, type, info, array));
                h.hv.pcpus.applyUpload(info, array);
                return null;
            });
        }

        @Override
        public long idleTimes(final BitSet cpus, final long[] idleNanos) {
            PlatformOps.checkIdleTimesArguments(cpus, idleNanos);
            final String op = "XENPF_getidletime for " + idleNanos.length + " cpus by dom" + host.domain.domid;
            return host.locked(op, (h, unused, n, f) -> h.hv.pcpus.snapshot(cpus, idleNanos));
        }

        @Override
        public CxStatistics cxStatistics(final int cpu) {
            PlatformOps.checkCpu(cpu);
            final String op = "XEN_SYSCTL_get_pmstat (C-states of pcpu " + cpu + ") by dom" + host.domain.domid;
            return host.locked(op, (h, unused, n, f) -> h.hv.pcpus.cxSnapshot(cpu, op));
        }

        @Override
        public PxStatistics pxStatistics(final int cpu) {
            PlatformOps.checkCpu(cpu);
            final String op = "XEN_SYSCTL_get_pmstat (P-states of pcpu " + cpu + ") by dom" + host.domain.domid;
            return host.locked(op, (h, unused, n, f) -> h.hv.pcpus.pxSnapshot(cpu, op));
        }

        @Override
        public void resetPxStatistics(final int cpu) {
            PlatformOps.checkCpu(cpu);
            final String op = "XEN_SYSCTL_get_pmstat (reset the P-states of pcpu " + cpu + ") by dom"
                + host.domain.domid;
            host.locked(op, (h, unused, n, f) -> {
                h.hv.pcpus.pxReset(cpu, op);
                return null;
            });
        }
    }
}
