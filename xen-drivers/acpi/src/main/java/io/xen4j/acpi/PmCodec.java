package io.xen4j.acpi;

import io.xen4j.abi.platform.XenProcessorCx;
import io.xen4j.abi.platform.XenProcessorPerformance;
import io.xen4j.abi.platform.XenProcessorPower;
import io.xen4j.abi.platform.XenProcessorPx;
import io.xen4j.abi.platform.Xenpf;
import io.xen4j.abi.platform.XenpfSetProcessorPminfo;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes {@link ProcessorPm} as {@code xenpf_set_processor_pminfo} structures with their state
 * arrays, as Linux's {@code push_cxx_to_hypervisor} and {@code push_pxx_to_hypervisor} fill
 * them, and decodes them back. Pure: no I/O. Every byte is written (the buffers start zeroed),
 * the guest handles are left zero for the HAL to patch, and the {@code dp} handles of the
 * C-states are zero as Linux leaves them.
 */
public final class PmCodec {
    private PmCodec() {
    }

    /**
     * One upload: the structure and the array its handle points to.
     *
     * @param acpiId the processor
     * @param type   {@code XEN_PM_CX} or {@code XEN_PM_PX}
     * @param pminfo the bytes of {@code xenpf_set_processor_pminfo}
     * @param states the {@code xen_processor_cx} or {@code xen_processor_px} array
     */
    public record Encoded(int acpiId, int type, byte[] pminfo, byte[] states) {
    }

    /**
     * Encodes a processor's data: C-states first, then P-states, as Linux uploads them.
     *
     * @param pm the processor
     * @return zero, one or two uploads
     */
    public static List<Encoded> encode(final ProcessorPm pm) {
        final List<Encoded> out = new ArrayList<>(2);
        final PowerInfo power = pm.power();
        if (power != null) {
            out.add(encodePower(pm.acpiId(), power));
        }
        final PerformanceInfo perf = pm.performance();
        if (perf != null) {
            out.add(encodePerformance(pm.acpiId(), perf));
        }
        return out;
    }

    /**
     * Encodes C-states ({@code XEN_PM_CX}).
     *
     * @param acpiId the processor
     * @param power  the C-states
     * @return the upload
     */
    public static Encoded encodePower(final int acpiId, final PowerInfo power) {
        final UnsafeBuffer info = new UnsafeBuffer(new byte[XenpfSetProcessorPminfo.LENGTH]);
        final XenpfSetProcessorPminfo pm = new XenpfSetProcessorPminfo().wrap(info, 0);
        pm.id(acpiId).type(Xenpf.XEN_PM_CX);
        final XenProcessorPower p = pm.power();
        p.count(power.states().size()).flags(power.flagsWord()).states(0);
        final List<CState> cs = power.states();
        final UnsafeBuffer arr = new UnsafeBuffer(new byte[cs.size() * XenProcessorCx.LENGTH]);
        final XenProcessorCx cx = new XenProcessorCx();
        for (int i = 0; i < cs.size(); i++) {
            final CState c = cs.get(i);
            final PowerRegister r = c.register();
            cx.wrap(arr, i * XenProcessorCx.LENGTH)
                .regSpaceId(r.spaceId()).regBitWidth(r.bitWidth()).regBitOffset(r.bitOffset())
                .regAccessSize(r.accessSize()).regAddress(r.address())
                .type(c.type()).latency((int) c.latencyUs()).power((int) c.powerMw()).dpcnt(0).dp(0);
        }
        return new Encoded(acpiId, Xenpf.XEN_PM_CX, info.byteArray(), arr.byteArray());
    }

    /**
     * Encodes P-states ({@code XEN_PM_PX}).
     *
     * @param acpiId the processor
     * @param perf   the P-states
     * @return the upload
     */
    public static Encoded encodePerformance(final int acpiId, final PerformanceInfo perf) {
        final UnsafeBuffer info = new UnsafeBuffer(new byte[XenpfSetProcessorPminfo.LENGTH]);
        final XenpfSetProcessorPminfo pm = new XenpfSetProcessorPminfo().wrap(info, 0);
        pm.id(acpiId).type(Xenpf.XEN_PM_PX);
        final XenProcessorPerformance p = pm.perf();
        final PctRegister c = perf.controlRegister();
        final PctRegister s = perf.statusRegister();
        p.flags(perf.flags()).platformLimit(perf.platformLimit())
            .controlRegisterDescriptor(c.descriptor()).controlRegisterLength(c.length())
            .controlRegisterSpaceId(c.spaceId()).controlRegisterBitWidth(c.bitWidth())
            .controlRegisterBitOffset(c.bitOffset()).controlRegisterReserved(0).controlRegisterAddress(c.address())
            .statusRegisterDescriptor(s.descriptor()).statusRegisterLength(s.length())
            .statusRegisterSpaceId(s.spaceId()).statusRegisterBitWidth(s.bitWidth())
            .statusRegisterBitOffset(s.bitOffset()).statusRegisterReserved(0).statusRegisterAddress(s.address())
            .stateCount(perf.states().size()).states(0);
        final Psd psd = perf.psd();
        if (psd != null) {
            p.domainInfoNumEntries(Psd.REV0_ENTRIES).domainInfoRevision(0).domainInfoDomain(psd.domain())
                .domainInfoCoordType(psd.coordType()).domainInfoNumProcessors(psd.numProcessors())
                .sharedType(psd.sharedType());
        }
        final List<PState> ps = perf.states();
        final UnsafeBuffer arr = new UnsafeBuffer(new byte[ps.size() * XenProcessorPx.LENGTH]);
        final XenProcessorPx px = new XenProcessorPx();
        for (int i = 0; i < ps.size(); i++) {
            final PState st = ps.get(i);
            px.wrap(arr, i * XenProcessorPx.LENGTH).coreFrequency(st.coreFrequencyMhz()).power(st.powerMw())
                .transitionLatency(st.transitionLatencyUs()).busMasterLatency(st.busMasterLatencyUs())
                .control(st.control()).status(st.status());
        }
        return new Encoded(acpiId, Xenpf.XEN_PM_PX, info.byteArray(), arr.byteArray());
    }

    /**
     * Decodes an upload back into a description, checking it as a hypervisor would: the type is
     * known, the count matches the array, every value is in range.
     *
     * @param pminfo the structure's bytes
     * @param states the array's bytes
     * @return the processor with only the uploaded part set
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static ProcessorPm decode(final byte[] pminfo, final byte[] states) {
        if (pminfo.length < XenpfSetProcessorPminfo.LENGTH) {
            throw new IllegalArgumentException("pminfo=" + pminfo.length + " bytes: need " + XenpfSetProcessorPminfo.LENGTH);
        }
        final XenpfSetProcessorPminfo pm = new XenpfSetProcessorPminfo().wrap(new UnsafeBuffer(pminfo), 0);
        final int id = pm.id();
        final UnsafeBuffer arr = new UnsafeBuffer(states);
        if (pm.type() == Xenpf.XEN_PM_CX) {
            final XenProcessorPower p = pm.power();
            final int count = checkCount("power.count", p.count(), states.length, XenProcessorCx.LENGTH, PowerInfo.MAX_STATES);
            final List<CState> cs = new ArrayList<>(count);
            final XenProcessorCx cx = new XenProcessorCx();
            for (int i = 0; i < count; i++) {
                cx.wrap(arr, i * XenProcessorCx.LENGTH);
                cs.add(new CState(cx.type(), Integer.toUnsignedLong(cx.latency()), Integer.toUnsignedLong(cx.power()),
                    new PowerRegister(cx.regSpaceId(), cx.regBitWidth(), cx.regBitOffset(), cx.regAccessSize(),
                        cx.regAddress())));
            }
            final int f = p.flags();
            return new ProcessorPm(id, new PowerInfo(cs, (f & Xenpf.XEN_PROCESSOR_FLAG_BM_CONTROL) != 0,
                (f & Xenpf.XEN_PROCESSOR_FLAG_BM_CHECK) != 0, (f & Xenpf.XEN_PROCESSOR_FLAG_HAS_CST) != 0,
                (f & Xenpf.XEN_PROCESSOR_FLAG_POWER_SETUP_DONE) != 0), null);
        }
        if (pm.type() == Xenpf.XEN_PM_PX) {
            final XenProcessorPerformance p = pm.perf();
            final int count = checkCount("perf.state_count", p.stateCount(), states.length, XenProcessorPx.LENGTH,
                PerformanceInfo.MAX_STATES);
            final List<PState> ps = new ArrayList<>(count);
            final XenProcessorPx px = new XenProcessorPx();
            for (int i = 0; i < count; i++) {
                px.wrap(arr, i * XenProcessorPx.LENGTH);
                ps.add(new PState(px.coreFrequency(), px.power(), px.transitionLatency(), px.busMasterLatency(),
                    px.control(), px.status()));
            }
            final Psd psd = (p.flags() & Xenpf.XEN_PX_PSD) == 0 ? null
                : new Psd(p.domainInfoDomain(), p.domainInfoCoordType(), p.domainInfoNumProcessors());
            return new ProcessorPm(id, null, new PerformanceInfo(p.platformLimit(),
                new PctRegister(p.controlRegisterDescriptor(), p.controlRegisterLength(), p.controlRegisterSpaceId(),
                    p.controlRegisterBitWidth(), p.controlRegisterBitOffset(), p.controlRegisterAddress()),
                new PctRegister(p.statusRegisterDescriptor(), p.statusRegisterLength(), p.statusRegisterSpaceId(),
                    p.statusRegisterBitWidth(), p.statusRegisterBitOffset(), p.statusRegisterAddress()),
                ps, psd));
        }
        throw new IllegalArgumentException("type=" + pm.type() + ": only XEN_PM_CX (0) and XEN_PM_PX (1) decode");
    }

    private static int checkCount(final String field, final int count, final int bytes, final int entry, final int max) {
        if (count < 1 || count > max || (long) count * entry != bytes) {
            throw new IllegalArgumentException(field + "=" + Integer.toUnsignedString(count) + ": need 1.." + max
                + " entries filling the " + bytes + "-byte array of " + entry + "-byte entries");
        }
        return count;
    }
}
