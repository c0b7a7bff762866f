package io.xen4j.rings;

/**
 * The private indices of {@link BackRing}, in a class of their own so that the padding that
 * {@code BackRing} declares is laid out after them.
 */
abstract sealed class BackRingIndices extends SharedRing permits BackRing {
    /** {@code rsp_prod_pvt}: responses produced, not necessarily pushed. */
    int rspProdPvt;
    /** The last {@code rsp_prod} this backend published: the old index of the next push's notify check. */
    int rspProdPushed;
    /** {@code req_cons}: requests consumed. */
    int reqCons;
    /** The last validated {@code req_prod}: consumption never passes it (read once, R1). */
    int reqProdSeen;

    BackRingIndices(final String name, final int responseLength, final int requestLength, final int slotLength) {
        super(name, responseLength, requestLength, slotLength);
    }
}
