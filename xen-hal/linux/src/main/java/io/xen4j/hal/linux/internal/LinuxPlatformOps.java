package io.xen4j.hal.linux.internal;

import io.xen4j.abi.Xen;
import io.xen4j.abi.platform.XenPlatformOp;
import io.xen4j.abi.platform.Xenpf;
import io.xen4j.abi.platform.XenpfSetProcessorPminfo;
import io.xen4j.hal.api.PlatformOps;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link PlatformOps} through {@code __HYPERVISOR_platform_op}: the {@code xen_platform_op} and the
 * array its guest handle points to are copied into one hypercall buffer, and the handle is set to
 * the array's address there.
 */
public final class LinuxPlatformOps implements PlatformOps {
    private final HostCore host;

    /**
     * Creates the service.
     *
     * @param host the host
     */
    public LinuxPlatformOps(final HostCore host) {
        this.host = host;
    }

    @Override
    public void setProcessorPmInfo(
        final DirectBuffer pminfo, final int pminfoOffset, final int pminfoLength,
        final DirectBuffer states, final int statesOffset, final int statesLength) {
        if (pminfoLength < 8 || pminfoLength > XenPlatformOp.U_LENGTH || pminfoOffset < 0
            || pminfoOffset > pminfo.capacity() - pminfoLength) {
            throw new IllegalArgumentException("pminfo offset=" + pminfoOffset + " length=" + pminfoLength
                + " capacity=" + pminfo.capacity() + ": need 8.." + XenPlatformOp.U_LENGTH + " bytes inside the buffer");
        }
        if (statesLength < 0 || statesOffset < 0 || statesOffset > states.capacity() - statesLength) {
            throw new IllegalArgumentException("states offset=" + statesOffset + " length=" + statesLength
                + " capacity=" + states.capacity() + ": outside the buffer");
        }
        final int acpiId = pminfo.getInt(pminfoOffset + XenpfSetProcessorPminfo.ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int type = pminfo.getInt(pminfoOffset + XenpfSetProcessorPminfo.TYPE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final String op = "upload power-management data (type " + type + ") of ACPI processor " + acpiId
            + " from dom" + host.domid();
        host.checkUsable(op);
        try (HypercallBuffer b = HypercallBuffer.allocate(host, XenPlatformOp.LENGTH + (long) statesLength + 8, op)) {
            final UnsafeBuffer ub = Native.buffer(b.segment());
            final XenPlatformOp p = new XenPlatformOp().wrap(ub, 0);
            p.clear();
            p.cmd(Xenpf.XENPF_SET_PROCESSOR_PMINFO).interfaceVersion(Xenpf.XENPF_INTERFACE_VERSION);
            ub.putBytes(XenPlatformOp.U_OFFSET, pminfo, pminfoOffset, pminfoLength);
            final int statesAt = XenPlatformOp.LENGTH;
            if (statesLength > 0) {
                ub.putBytes(statesAt, states, statesOffset, statesLength);
            }
            final XenpfSetProcessorPminfo info = p.setPminfo();
            final long handle = b.address() + statesAt;
            switch (type) {
                case Xenpf.XEN_PM_CX -> info.powerStates(handle);
                case Xenpf.XEN_PM_PX -> info.perfStates(handle);
                case Xenpf.XEN_PM_PDC -> info.pdc(handle);
                default -> {
                    // No array: the hypervisor judges the type.
                }
            }
            host.hypercall(op, Xen.HYPERVISOR_PLATFORM_OP, b.address());
        }
    }
}
