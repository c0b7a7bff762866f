package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.contract.CountingHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * 10^4 cycles of every kind of resource leave nothing held: references, pins, mappings, ports,
 * frames, host memory.
 */
final class LeakTest {
    @Test
    void tenThousandFullCyclesLeaveNothingHeld() {
        try (SimulatedXen xen = SimulatedXen.builder().grantEntries(64).eventPorts(64).build()) {
            final SimulatedDomain dom0 = xen.dom0();
            final SimulatedDomain guest = xen.createDomain("guest");
            final long freePages = xen.freeHostPages();
            final GrantCopyBatch batch = new GrantCopyBatch(1);
            final UnsafeBuffer local = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 10_000; i++) {
                final EventChannel f = guest.host().eventChannels().allocateUnbound(0, new CountingHandler());
                final EventChannel b = dom0.host().eventChannels().bindInterdomain(guest.domid(), f.localPort(),
                    new CountingHandler(true));
                final SharedPages s = guest.host().grantTables().share(0, 2, true);
                s.setUnmapNotify(0, f.localPort());
                final MappedGrants m = dom0.host().grantTables().map(guest.domid(),
                    new int[] {s.grantRef(1), s.grantRef(0)}, true);
                m.setUnmapNotify(4096, b.localPort());
                m.buffer().putInt(8, i);
                batch.clear();
                batch.addGrantToLocal(guest.domid(), s.grantRef(1), 8, local, 0, 4);
                dom0.host().grantTables().copy(batch);
                assertEquals(GrantTable.GNTST_OKAY, batch.status(0));
                assertEquals(i, local.getInt(0));
                final ForeignMapping fm = dom0.host().foreignMemory().mapFrames(guest.domid(), new long[] {i % 64}, false);
                f.notifyPeer();
                dom0.host().eventChannels().poll(4);
                m.close();
                guest.host().eventChannels().poll(4);
                s.close();
                fm.close();
                b.close();
                f.close();
            }
            assertEquals(ResourceCounts.ZERO, xen.resources());
            assertEquals(freePages, xen.freeHostPages());
        }
    }
}
