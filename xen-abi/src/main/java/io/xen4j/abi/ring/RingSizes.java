package io.xen4j.abi.ring;

/**
 * Ring-size arithmetic of {@code xen/io/ring.h}: how many slots a shared ring of one or more pages
 * holds. As {@code __CONST_RING_SIZE} and {@code __RING_SIZE} compute it, a ring holds the largest
 * power of two of slots that fit in the shared area after the {@link SringHeader}, so that an index
 * is reduced to a slot by masking with {@code size - 1}.
 *
 * <pre>{@code
 * #define __CONST_RING_SIZE(_s, _sz) \
 *     (__RD32(((_sz) - offsetof(struct _s##_sring, ring)) / \
 *             sizeof(((struct _s##_sring *)0)->ring[0])))
 * }</pre>
 *
 * <p>Multi-page rings ({@code ring-page-order} in xenstore, or {@code max-ring-page-order} as a
 * backend advertises it) span {@code 2^order} contiguous pages; xen4j serves orders 0 to
 * {@link #MAX_RING_PAGE_ORDER}. The constants below are checked against the C macro for the blkif
 * and netif rings.
 */
public final class RingSizes {
    /** {@code XEN_PAGE_SHIFT}: ring protocols always use 4 KiB pages, whatever the OS page size. */
    public static final int XEN_PAGE_SHIFT = 12;
    /** Size of a ring page: {@code 1 << XEN_PAGE_SHIFT}. */
    public static final int XEN_PAGE_SIZE = 1 << XEN_PAGE_SHIFT;
    /** Largest {@code ring-page-order} xen4j serves: 16 pages, as Linux's {@code XENBUS_MAX_RING_GRANT_ORDER}. */
    public static final int MAX_RING_PAGE_ORDER = 4;
    /** Largest number of pages of a shared ring: {@code 1 << MAX_RING_PAGE_ORDER}. */
    public static final int MAX_RING_PAGES = 1 << MAX_RING_PAGE_ORDER;

    /** {@code __CONST_RING_SIZE(blkif, 4096)}: x86_64 and x86_32 agree. */
    public static final int BLKIF_RING_SIZE_1_PAGE = 32;
    /** {@code __CONST_RING_SIZE(blkif, 8192)}. */
    public static final int BLKIF_RING_SIZE_2_PAGES = 64;
    /** {@code __CONST_RING_SIZE(blkif, 16384)}. */
    public static final int BLKIF_RING_SIZE_4_PAGES = 128;
    /** {@code __CONST_RING_SIZE(blkif, 32768)}. */
    public static final int BLKIF_RING_SIZE_8_PAGES = 256;
    /** {@code __CONST_RING_SIZE(blkif, 65536)}. */
    public static final int BLKIF_RING_SIZE_16_PAGES = 512;
    /** {@code __CONST_RING_SIZE(netif_tx, 4096)}: 12-byte slots. */
    public static final int NETIF_TX_RING_SIZE_1_PAGE = 256;
    /** {@code __CONST_RING_SIZE(netif_tx, 65536)}. */
    public static final int NETIF_TX_RING_SIZE_16_PAGES = 4096;
    /** {@code __CONST_RING_SIZE(netif_rx, 4096)}: 8-byte slots. */
    public static final int NETIF_RX_RING_SIZE_1_PAGE = 256;
    /** {@code __CONST_RING_SIZE(netif_rx, 65536)}. */
    public static final int NETIF_RX_RING_SIZE_16_PAGES = 4096;

    private RingSizes() {
    }

    /**
     * {@code __RD32}: rounds down to the nearest power of two; 0 stays 0.
     *
     * @param value a non-negative count
     * @return the largest power of two not above {@code value}, or 0
     */
    public static int roundDownToPowerOfTwo(final int value) {
        return Integer.highestOneBit(value);
    }

    /**
     * {@code __RING_SIZE}: the number of slots of a shared ring of {@code sharedBytes} bytes.
     *
     * @param sharedBytes size of the shared area, header included (for example {@code 4096})
     * @param slotLength  size of one slot: the larger of the request and the response
     * @return the ring size, a power of two of at least 1
     * @throws IllegalArgumentException if not even one slot fits
     */
    public static int ringSize(final int sharedBytes, final int slotLength) {
        if (slotLength <= 0 || sharedBytes < SringHeader.RING_OFFSET + slotLength) {
            throw new IllegalArgumentException("no slot fits in the shared ring: sharedBytes=" + sharedBytes
                + " slotLength=" + slotLength + " headerLength=" + SringHeader.RING_OFFSET);
        }
        return roundDownToPowerOfTwo((sharedBytes - SringHeader.RING_OFFSET) / slotLength);
    }

    /**
     * The number of bytes of a ring of {@code 2^pageOrder} pages.
     *
     * @param pageOrder {@code ring-page-order}, 0 to {@link #MAX_RING_PAGE_ORDER}
     * @return {@code XEN_PAGE_SIZE << pageOrder}
     * @throws IllegalArgumentException for an order out of range
     */
    public static int ringBytes(final int pageOrder) {
        checkPageOrder(pageOrder);
        return XEN_PAGE_SIZE << pageOrder;
    }

    /**
     * The number of slots of a ring of {@code 2^pageOrder} pages.
     *
     * @param pageOrder  {@code ring-page-order}, 0 to {@link #MAX_RING_PAGE_ORDER}
     * @param slotLength size of one slot
     * @return the ring size
     * @throws IllegalArgumentException for an order out of range or a slot larger than the ring
     */
    public static int ringSizeForPageOrder(final int pageOrder, final int slotLength) {
        return ringSize(ringBytes(pageOrder), slotLength);
    }

    /**
     * The {@code ring-page-order} of a shared area of {@code sharedBytes} bytes.
     *
     * @param sharedBytes size of the shared area
     * @return the order, 0 to {@link #MAX_RING_PAGE_ORDER}
     * @throws IllegalArgumentException unless the size is 1, 2, 4, 8 or 16 pages
     */
    public static int pageOrderOf(final int sharedBytes) {
        for (int order = 0; order <= MAX_RING_PAGE_ORDER; order++) {
            if (sharedBytes == XEN_PAGE_SIZE << order) {
                return order;
            }
        }
        throw new IllegalArgumentException("shared ring is not 2^order pages: sharedBytes=" + sharedBytes
            + " pageSize=" + XEN_PAGE_SIZE + " maxOrder=" + MAX_RING_PAGE_ORDER);
    }

    /**
     * Checks a {@code ring-page-order}, for example one read from xenstore.
     *
     * @param pageOrder the order
     * @return the order
     * @throws IllegalArgumentException unless 0 to {@link #MAX_RING_PAGE_ORDER}
     */
    public static int checkPageOrder(final int pageOrder) {
        if (pageOrder < 0 || pageOrder > MAX_RING_PAGE_ORDER) {
            throw new IllegalArgumentException("ring-page-order out of range: pageOrder=" + pageOrder
                + " min=0 max=" + MAX_RING_PAGE_ORDER);
        }
        return pageOrder;
    }
}
