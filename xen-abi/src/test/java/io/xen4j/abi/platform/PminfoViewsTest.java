package io.xen4j.abi.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The nested views of the platform_op argument address the same bytes as the flat accessors, and
 * the bit-field word of {@code xen_processor_power}, which the golden instances cannot cover, lands
 * where the header puts it.
 */
final class PminfoViewsTest {
    private static final int AT = 16;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AT + XenPlatformOp.LENGTH + AT]);

    @Test
    void setPminfoViewSitsInTheUnionOfThePlatformOp() {
        final XenPlatformOp op = new XenPlatformOp().wrap(buffer, AT);
        op.cmd(Xenpf.XENPF_SET_PROCESSOR_PMINFO).interfaceVersion(Xenpf.XENPF_INTERFACE_VERSION);
        final XenpfSetProcessorPminfo pminfo = op.setPminfo();
        assertSame(buffer, pminfo.buffer());
        assertEquals(AT + XenPlatformOp.U_OFFSET, pminfo.offset());
        pminfo.id(7).type(Xenpf.XEN_PM_CX);
        assertEquals(7, op.pad(XenpfSetProcessorPminfo.ID_OFFSET));
        assertEquals(Xenpf.XEN_PM_CX, op.pad(XenpfSetProcessorPminfo.TYPE_OFFSET));
    }

    @Test
    void powerFlagsWordCarriesTheBitFieldMasks() {
        final XenpfSetProcessorPminfo pminfo = new XenpfSetProcessorPminfo().wrap(buffer, AT);
        final int flags = Xenpf.XEN_PROCESSOR_FLAG_BM_CHECK | Xenpf.XEN_PROCESSOR_FLAG_HAS_CST;
        pminfo.type(Xenpf.XEN_PM_CX).powerCount(3).powerFlags(flags).powerStates(0x7f00_1234_5000L);

        final XenProcessorPower power = pminfo.power();
        assertEquals(3, power.count());
        assertEquals(flags, power.flags());
        assertEquals(0x7f00_1234_5000L, power.states());
        // bm_check is bit 1 and has_cst bit 2 of the byte right after count
        assertEquals(0b110, buffer.getByte(AT + XenpfSetProcessorPminfo.U_OFFSET + XenProcessorPower.FLAGS_OFFSET));
    }

    @Test
    void perfViewSharesTheBytesOfTheFlatAccessors() {
        final XenpfSetProcessorPminfo pminfo = new XenpfSetProcessorPminfo().wrap(buffer, AT);
        pminfo.type(Xenpf.XEN_PM_PX);
        final XenProcessorPerformance perf = pminfo.perf();
        perf.flags(Xenpf.XEN_PX_PCT | Xenpf.XEN_PX_PSS).stateCount(4).sharedType(Xenpf.XEN_CPUPERF_SHARED_TYPE_ANY)
            .controlRegisterAddress(0xcf8L).statusRegisterLength(12).domainInfoNumProcessors(2);
        assertEquals(Xenpf.XEN_PX_PCT | Xenpf.XEN_PX_PSS, pminfo.perfFlags());
        assertEquals(4, pminfo.perfStateCount());
        assertEquals(Xenpf.XEN_CPUPERF_SHARED_TYPE_ANY, pminfo.perfSharedType());
        assertEquals(XenpfSetProcessorPminfo.LENGTH - XenpfSetProcessorPminfo.U_OFFSET, XenProcessorPerformance.LENGTH);
    }
}
