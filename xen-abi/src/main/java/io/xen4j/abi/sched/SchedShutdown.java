package io.xen4j.abi.sched;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The argument of {@code SCHEDOP_shutdown} and {@code SCHEDOP_shutdown_code}: why the calling
 * domain stops; the same 4 bytes in every ABI.
 *
 * <pre>{@code
 * struct sched_shutdown {
 *     unsigned int reason; // SHUTDOWN_* => enum sched_shutdown_reason
 * };
 * }</pre>
 */
public final class SchedShutdown extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "sched_shutdown";
    /** Offset of {@code reason}. */
    public static final int REASON_OFFSET = 0;
    /** {@code sizeof(struct sched_shutdown)}, the same in every ABI. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    public SchedShutdown wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code reason}: a {@code SHUTDOWN_*} reason, see {@link SchedOp}.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int reason() {
        return buffer.getInt(offset + REASON_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code reason}.
     *
     * @param value the value
     * @return this
     */
    public SchedShutdown reason(final int value) {
        buffer.putInt(offset + REASON_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
