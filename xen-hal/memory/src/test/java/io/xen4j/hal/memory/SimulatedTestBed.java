package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.contract.XenTestBed;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract suites' test bed on the simulated host: dom0, an unprivileged guest and a third
 * domain.
 */
final class SimulatedTestBed implements XenTestBed {
    final SimulatedXen xen;
    final SimulatedDomain guest;
    final SimulatedDomain other;

    SimulatedTestBed() {
        this(SimulatedXen.builder().seed(1).build());
    }

    SimulatedTestBed(final SimulatedXen xen) {
        this.xen = xen;
        this.guest = xen.createDomain("guest");
        this.other = xen.createDomain("other");
    }

    @Override
    public XenHost privileged() {
        return xen.dom0().host();
    }

    @Override
    public XenHost guest() {
        return guest.host();
    }

    @Override
    public XenHost other() {
        return other.host();
    }

    @Override
    public void advanceTime(final long nanos) {
        xen.advanceTime(nanos);
    }

    @Override
    public boolean canRaiseVirq() {
        return true;
    }

    @Override
    public void raiseVirq(final XenHost host, final int virq) {
        xen.raiseVirq(host.domid(), virq);
    }

    @Override
    public int unusedVirq() {
        return Xen.VIRQ_DEBUG;
    }

    @Override
    public long[] unpopulatedGuestFrames(final int count) {
        final long[] gfns = new long[count];
        for (int i = 0; i < count; i++) {
            gfns[i] = guest.config().initialPages() + i;
        }
        return gfns;
    }

    @Override
    public long populatedGuestFrame() {
        return 1;
    }

    @Override
    public Map<String, Long> resources() {
        final ResourceCounts r = xen.resources();
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("grantRefs", r.grantRefs());
        m.put("pinnedGrantRefs", r.pinnedGrantRefs());
        m.put("grantMappings", r.grantMappings());
        m.put("foreignMappings", r.foreignMappings());
        m.put("boundPorts", r.boundPorts());
        m.put("pendingTimers", r.pendingTimers());
        m.put("openHandles", r.openHandles());
        m.put("sharedPages", r.sharedPages());
        return m;
    }

    @Override
    public void close() {
        xen.close();
    }
}
