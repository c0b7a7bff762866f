package io.xen4j.abi.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * What the golden bytes cannot cover: the 32-bit view of {@code u.hash.value}, the index checks of
 * the union's arrays, and that the members of the union overlay one another.
 */
final class NetifExtraInfoTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4 + NetifExtraInfo.LENGTH]);
    private final NetifExtraInfo extra = new NetifExtraInfo().wrap(buffer, 4);

    @Test
    void hash32IsTheFourValueBytesLeastSignificantFirst() {
        extra.hash32(0xCAFE_F00D);
        assertEquals(0x0D, extra.hashValue(0));
        assertEquals(0xF0, extra.hashValue(1));
        assertEquals(0xFE, extra.hashValue(2));
        assertEquals(0xCA, extra.hashValue(3));
        extra.hashValue(3, 0x81);
        assertEquals(0x81FE_F00D, NetifExtraInfo.hash32(buffer, 4));
    }

    @Test
    void unionMembersShareTheirBytes() {
        extra.gsoSize(1448).gsoType(Netif.XEN_NETIF_GSO_TYPE_TCPV4).gsoPad(0).gsoFeatures(0);
        assertEquals(1448 & 0xFF, extra.mcastAddr(0));
        assertEquals(1448 >>> 8, extra.mcastAddr(1));
        assertEquals(1448 & 0xFF, extra.hashType());
        assertEquals(Netif.XEN_NETIF_GSO_TYPE_TCPV4, extra.hashValue(0));
        assertEquals(1448, extra.pad(0));
    }

    @Test
    void arrayIndicesAreChecked() {
        assertThrows(IndexOutOfBoundsException.class, () -> extra.mcastAddr(NetifExtraInfo.MCAST_ADDR_LENGTH));
        assertThrows(IndexOutOfBoundsException.class, () -> extra.hashValue(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> extra.pad(3, 0));
    }
}
