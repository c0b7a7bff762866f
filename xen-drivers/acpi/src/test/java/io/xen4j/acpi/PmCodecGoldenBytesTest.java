package io.xen4j.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of every structure the upload carries ({@code xenpf_set_processor_pminfo} for
 * C- and P-states with their {@code xen_processor_power}, {@code xen_processor_performance},
 * {@code xen_pct_register}, {@code xen_psd_package}, {@code xen_processor_cx},
 * {@code xen_power_register} and {@code xen_processor_px}), built here at the offsets gcc gives
 * for the Xen headers (xen-abi's layout fixtures), independently of the flyweights' constants.
 */
final class PmCodecGoldenBytesTest {
    private static ByteBuffer le(final int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void cStateUploadMatchesTheCLayout() {
        final PmCodec.Encoded e = PmCodec.encodePower(7, Samples.POWER);
        final ByteBuffer info = le(112);
        info.putInt(0, 7).putInt(4, 0 /* XEN_PM_CX */)
            .putInt(8, 3 /* count */).putInt(12, 0b0111 /* bm_control | bm_check | has_cst */).putLong(16, 0 /* states */);
        assertEquals(HexFormat.of().formatHex(info.array()), HexFormat.of().formatHex(e.pminfo()));

        final ByteBuffer cx = le(3 * 48);
        final int[][] regs = {{0x7F, 1, 2, 1}, {0x7F, 1, 2, 1}, {1, 8, 0, 0}};
        final long[] addr = {0, 0x20, 0x414};
        final int[][] tlp = {{1, 2, 1000}, {2, 33, 500}, {3, 133, 200}};
        for (int i = 0; i < 3; i++) {
            final int b = i * 48;
            cx.putInt(b, regs[i][0]).putInt(b + 4, regs[i][1]).putInt(b + 8, regs[i][2]).putInt(b + 12, regs[i][3])
                .putLong(b + 16, addr[i]).put(b + 24, (byte) tlp[i][0]).putInt(b + 28, tlp[i][1]).putInt(b + 32, tlp[i][2])
                .putInt(b + 36, 0).putLong(b + 40, 0);
        }
        assertEquals(HexFormat.of().formatHex(cx.array()), HexFormat.of().formatHex(e.states()));
        // The committed golden of the second entry (the MWAIT 0x20 one), as a reviewer reads it.
        assertEquals("7f000000010000000200000001000000200000000000000002000000210000"
            + "00f4010000000000000000000000000000",
            HexFormat.of().formatHex(e.states(), 48, 96));
    }

    @Test
    void pStateUploadMatchesTheCLayout() {
        final PmCodec.Encoded e = PmCodec.encodePerformance(7, Samples.PERF);
        final ByteBuffer info = le(112);
        info.putInt(0, 7).putInt(4, 1 /* XEN_PM_PX */)
            .putInt(8, 0xF /* PCT | PSS | PPC | PSD */).putInt(12, 1 /* platform_limit */)
            // control_register: descriptor, length (u16 at +2), space_id, bit_width, bit_offset, reserved, address (+8)
            .put(16, (byte) 0x82).putShort(18, (short) 12).put(20, (byte) 0x7F).put(21, (byte) 64).put(22, (byte) 0)
            .put(23, (byte) 0).putLong(24, 0x199)
            .put(32, (byte) 0x82).putShort(34, (short) 12).put(36, (byte) 0x7F).put(37, (byte) 16).put(38, (byte) 0)
            .put(39, (byte) 0).putLong(40, 0x198)
            .putInt(48, 3 /* state_count */).putLong(56, 0 /* states */)
            // domain_info: num_entries, revision, domain, coord_type, num_processors
            .putLong(64, 5).putLong(72, 0).putLong(80, 4).putLong(88, 0xFD).putLong(96, 2)
            .putInt(104, 3 /* XEN_CPUPERF_SHARED_TYPE_ANY */);
        assertEquals(HexFormat.of().formatHex(info.array()), HexFormat.of().formatHex(e.pminfo()));

        final ByteBuffer px = le(3 * 48);
        final long[][] v = {{2901, 150_000, 10, 10, 0x2300, 0x2300}, {2900, 150_000, 10, 10, 0x1D00, 0x1D00},
            {1200, 60_000, 10, 10, 0x0C00, 0x0C00}};
        for (int i = 0; i < 3; i++) {
            for (int f = 0; f < 6; f++) {
                px.putLong(i * 48 + f * 8, v[i][f]);
            }
        }
        assertEquals(HexFormat.of().formatHex(px.array()), HexFormat.of().formatHex(e.states()));
        assertEquals("550b000000000000f0490200000000000a000000000000000a00000000000000"
            + "00230000000000000023000000000000", HexFormat.of().formatHex(e.states(), 0, 48));
    }

    @Test
    void withoutPsdTheDomainInfoAndSharedTypeStayZero() {
        final PerformanceInfo noPsd = new PerformanceInfo(0, PctRegister.FIXED_HARDWARE, PctRegister.FIXED_HARDWARE,
            List.of(new PState(1000, 0, 5, 5, 0, 0)), null);
        final byte[] b = PmCodec.encodePerformance(0, noPsd).pminfo();
        assertEquals(0x7, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
        assertArrayEquals(new byte[112 - 64], java.util.Arrays.copyOfRange(b, 64, 112));
        assertNull(java.util.Objects.requireNonNull(PmCodec.decode(b, PmCodec.encodePerformance(0, noPsd).states()).performance()).psd());
    }

    @Test
    void decodeInvertsEncode() {
        final List<PmCodec.Encoded> both = PmCodec.encode(Samples.CPU0);
        assertEquals(2, both.size());
        assertEquals(new ProcessorPm(7, Samples.POWER, null), PmCodec.decode(both.get(0).pminfo(), both.get(0).states()));
        assertEquals(new ProcessorPm(7, null, Samples.PERF), PmCodec.decode(both.get(1).pminfo(), both.get(1).states()));
    }

    @Test
    void decodeRejectsCountsThatDoNotMatchTheArray() {
        final PmCodec.Encoded e = PmCodec.encodePerformance(7, Samples.PERF);
        assertThrows(IllegalArgumentException.class, () -> PmCodec.decode(e.pminfo(), new byte[48 * 2]));
        final byte[] huge = e.pminfo().clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(48, -1);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> PmCodec.decode(huge, e.states()));
        assertEquals(true, String.valueOf(ex.getMessage()).startsWith("perf.state_count=4294967295"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PmCodec.decode(new byte[10], new byte[0]));
    }

    @Test
    void descriptionsRejectValuesTheCTypesCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> new CState(4, 0, 0, PowerRegister.NONE));
        assertThrows(IllegalArgumentException.class, () -> new CState(1, 1L << 32, 0, PowerRegister.NONE));
        assertThrows(IllegalArgumentException.class, () -> new PowerRegister(256, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PctRegister(0x82, 0x10000, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Psd(0, 0xFB, 1));
        assertThrows(IllegalArgumentException.class, () -> new PerformanceInfo(3, PctRegister.FIXED_HARDWARE,
            PctRegister.FIXED_HARDWARE, Samples.PERF.states(), null));
        assertThrows(IllegalArgumentException.class, () -> new PowerInfo(List.of(), false, false, false, false));
    }
}
