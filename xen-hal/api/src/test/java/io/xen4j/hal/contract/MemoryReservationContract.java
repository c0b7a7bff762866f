package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xen4j.hal.api.MemoryReservation;
import io.xen4j.hal.api.XenService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link MemoryReservation}, as a balloon driver in the guest uses it.
 */
public abstract class MemoryReservationContract extends HalContract {
    private MemoryReservation reservation() {
        return bed().guest().memoryReservation();
    }

    @BeforeEach
    final void requireService() {
        assumeTrue(bed().guest().supports(XenService.MEMORY_RESERVATION), "no memory reservation on this backend");
    }

    @Test
    void currentIsAtMostMaximum() {
        assertTrue(reservation().currentPages() > 0);
        assertTrue(reservation().currentPages() <= reservation().maximumPages());
    }

    @Test
    void populatedFramesCountAndCanBeGivenBack() {
        final long[] gfns = bed().unpopulatedGuestFrames(4);
        final long before = reservation().currentPages();
        assertEquals(4, reservation().increaseReservation(gfns, 4));
        assertEquals(before + 4, reservation().currentPages());
        assertEquals(0, reservation().increaseReservation(gfns, 1), "a populated frame is not populated twice");
        assertEquals(4, reservation().decreaseReservation(gfns, 4));
        assertEquals(before, reservation().currentPages());
    }

    @Test
    void releasingAFrameThatIsNotPopulatedDoesNothing() {
        final long[] gfns = bed().unpopulatedGuestFrames(2);
        final long before = reservation().currentPages();
        assertEquals(0, reservation().decreaseReservation(gfns, 2));
        assertEquals(before, reservation().currentPages());
    }

    @Test
    void aCountOfZeroDoesNothing() {
        final long[] gfns = bed().unpopulatedGuestFrames(1);
        assertEquals(0, reservation().increaseReservation(gfns, 0));
        assertEquals(0, reservation().decreaseReservation(gfns, 0));
    }
}
