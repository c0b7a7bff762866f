package io.xen4j.acpi;

/** Range checks with {@code key=value} messages. */
final class Checks {
    private Checks() {
    }

    static void u8(final String name, final int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(name + "=" + value + ": must fit uint8_t");
        }
    }

    static void u16(final String name, final int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + "=" + value + ": must fit uint16_t");
        }
    }

    static void u32(final String name, final long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + "=" + value + ": must fit uint32_t");
        }
    }

    static void nonNegative(final String name, final long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + "=" + value + ": must be >= 0");
        }
    }
}
