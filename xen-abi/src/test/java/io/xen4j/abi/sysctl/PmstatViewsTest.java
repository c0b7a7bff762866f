package io.xen4j.abi.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The nested views of the sysctl argument address the bytes the header puts them at: the
 * {@code get_pmstat} member at {@code u}, and both variants of its own union at its {@code u}.
 */
final class PmstatViewsTest {
    private static final int AT = 16;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AT + XenSysctl.LENGTH + AT]);

    @Test
    void getPmstatSitsInTheUnionOfTheSysctlAndItsVariantsShareItsUnion() {
        final XenSysctl sysctl = new XenSysctl().wrap(buffer, AT);
        sysctl.cmd(Sysctl.XEN_SYSCTL_GET_PMSTAT).interfaceVersion(Sysctl.XEN_SYSCTL_INTERFACE_VERSION);
        final XenSysctlGetPmstat pm = sysctl.getPmstat();
        assertSame(buffer, pm.buffer());
        assertEquals(AT + XenSysctl.U_OFFSET, pm.offset());
        pm.type(Sysctl.PMSTAT_GET_CXSTAT).cpuid(3);
        assertEquals(Sysctl.PMSTAT_GET_CXSTAT, sysctl.pad(XenSysctlGetPmstat.TYPE_OFFSET));
        assertEquals(3, sysctl.pad(XenSysctlGetPmstat.CPUID_OFFSET));
        assertEquals(Sysctl.PMSTAT_CX, pm.type() & Sysctl.PMSTAT_CATEGORY_MASK);

        pm.getcx().nr(9);
        assertEquals(9, pm.getpx().total(), "getpx.total is the low byte of getcx.nr");
        pm.getpx().transPt(0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, pm.getcx().idleTime(), "trans_pt and idle_time share offset 8");
        assertEquals(XenSysctl.U_OFFSET + XenSysctlGetPmstat.U_OFFSET + PmCxStat.IDLE_TIME_OFFSET,
            XenSysctl.U_OFFSET + XenSysctlGetPmstat.U_OFFSET + PmPxStat.TRANS_PT_OFFSET);
        assertEquals(0x88, sysctl.pad(XenSysctlGetPmstat.U_OFFSET + PmPxStat.TRANS_PT_OFFSET));
    }
}
