package io.xen4j.net;

/** MAC addresses as 48-bit longs, and their text form in xenstore ({@code 00:16:3e:01:02:03}). */
public final class Macs {
    private Macs() {
    }

    /**
     * Parses {@code xx:xx:xx:xx:xx:xx}.
     *
     * @param text the address
     * @return the address in the low 48 bits, or -1 when the text is not an address
     */
    public static long parse(final String text) {
        if (text.length() != 17) {
            return -1;
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            if (i > 0 && text.charAt(i * 3 - 1) != ':') {
                return -1;
            }
            final int hi = Character.digit(text.charAt(i * 3), 16);
            final int lo = Character.digit(text.charAt(i * 3 + 1), 16);
            if (hi < 0 || lo < 0) {
                return -1;
            }
            mac = mac << 8 | hi << 4 | lo;
        }
        return mac;
    }

    /**
     * Formats an address.
     *
     * @param mac the address in the low 48 bits
     * @return {@code xx:xx:xx:xx:xx:xx}
     */
    public static String format(final long mac) {
        final StringBuilder b = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            final int v = (int) (mac >>> (i * 8)) & 0xFF;
            b.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
            if (i > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }
}
