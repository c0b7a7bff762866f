package io.xen4j.rings;

/**
 * What a hostile or broken peer did to a ring: the rule it broke. A ring that sees a violation
 * stops (it is broken) and keeps the first one with a message naming the ring and the index values.
 */
public enum RingViolation {
    /**
     * Backend: the frontend produced more requests than the ring holds:
     * {@code req_prod - rsp_prod_pvt > RING_SIZE} ({@code RING_REQUEST_PROD_OVERFLOW}, SECURITY-RULES R3).
     */
    RING_REQUEST_PROD_OVERFLOW("R3"),
    /**
     * Backend: {@code req_prod} moved behind requests already consumed ({@code req_prod - req_cons}
     * is negative): without this check the consumer would loop over stale slots until
     * {@code RING_REQUEST_CONS_OVERFLOW} stops it (R6).
     */
    RING_REQUEST_PROD_BEHIND_CONSUMER("R6"),
    /**
     * Frontend: the backend produced more responses than the ring holds:
     * {@code rsp_prod - rsp_cons > RING_SIZE} ({@code RING_RESPONSE_PROD_OVERFLOW}, R5).
     */
    RING_RESPONSE_PROD_OVERFLOW("R5"),
    /**
     * Frontend: the backend produced more responses than requests were pushed:
     * {@code rsp_prod - rsp_cons > req_prod - rsp_cons}; the extra slots hold no response (R5).
     */
    RING_RESPONSE_PROD_AHEAD_OF_REQUESTS("R5"),
    /**
     * Byte ring (console, xenstore): {@code prod - cons > size}, seen by either side (R6 and the
     * console rule of SECURITY-RULES).
     */
    BYTE_RING_INDEX_OVERFLOW("R6");

    private final String securityRule;

    RingViolation(final String securityRule) {
        this.securityRule = securityRule;
    }

    /**
     * The rule of SECURITY-RULES.md this violation breaks.
     *
     * @return for example {@code "R3"}
     */
    public String securityRule() {
        return securityRule;
    }
}
