package io.xen4j.rings;

/**
 * The private indices of {@link FrontRing}, in a class of their own so that the padding that
 * {@code FrontRing} declares is laid out after them (a class's fields follow its superclass's).
 */
abstract sealed class FrontRingIndices extends SharedRing permits FrontRing {
    /** {@code req_prod_pvt}: requests produced, not necessarily pushed. */
    int reqProdPvt;
    /** {@code rsp_cons}: responses consumed. */
    int rspCons;
    /** The last {@code req_prod} this frontend published: bounds what the backend may answer. */
    int reqProdPushed;
    /** The last validated {@code rsp_prod}: consumption never passes it (read once, R1). */
    int rspProdSeen;

    FrontRingIndices(final String name, final int requestLength, final int responseLength, final int slotLength) {
        super(name, requestLength, responseLength, slotLength);
    }
}
