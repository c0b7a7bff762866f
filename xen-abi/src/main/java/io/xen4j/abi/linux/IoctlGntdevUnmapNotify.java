package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_GNTDEV_SET_UNMAP_NOTIFY}: what the kernel does when a mapped page is
 * unmapped, even if the process dies: clear a byte of it and/or send an event
 * ({@link Gntdev#UNMAP_NOTIFY_CLEAR_BYTE}, {@link Gntdev#UNMAP_NOTIFY_SEND_EVENT}).
 *
 * <pre>{@code
 * struct ioctl_gntdev_unmap_notify {
 *     // IN parameters
 *     // Offset in the file descriptor for a byte within the page. This offset
 *     // is the result of the IOCTL_GNTDEV_MAP_GRANT_REF and is the same as
 *     // is used with mmap(). If using UNMAP_NOTIFY_CLEAR_BYTE, this is the byte
 *     // within the page to be cleared.
 *     uint64_t index;
 *     // Action(s) to take on unmap
 *     uint32_t action;
 *     // Event channel to notify
 *     uint32_t event_channel_port;
 * };
 * }</pre>
 */
public final class IoctlGntdevUnmapNotify extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_unmap_notify";
    /** Offset of {@code index}. */
    public static final int INDEX_OFFSET = 0;
    /** Offset of {@code action}. */
    public static final int ACTION_OFFSET = INDEX_OFFSET + Long.BYTES;
    /** Offset of {@code event_channel_port}. */
    public static final int EVENT_CHANNEL_PORT_OFFSET = ACTION_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_unmap_notify)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevUnmapNotify wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code index}: the mmap offset of the byte to clear (any byte of the page for an event only).
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long index() {
        return buffer.getLong(offset + INDEX_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code index}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevUnmapNotify index(final long value) {
        buffer.putLong(offset + INDEX_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code action}: the {@code UNMAP_NOTIFY_*} bits.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int action() {
        return buffer.getInt(offset + ACTION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code action}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevUnmapNotify action(final int value) {
        buffer.putInt(offset + ACTION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code event_channel_port}: the event channel to notify.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int eventChannelPort() {
        return buffer.getInt(offset + EVENT_CHANNEL_PORT_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code event_channel_port}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevUnmapNotify eventChannelPort(final int value) {
        buffer.putInt(offset + EVENT_CHANNEL_PORT_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
