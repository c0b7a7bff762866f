package io.xen4j.hal.memory.xenstore;

/**
 * What one domain holds in the in-memory xenstored, as the quotas of {@link XenstoreQuotas}
 * count it.
 *
 * @param nodes        nodes the domain owns
 * @param memory       bytes: records and paths of those nodes, paths and tokens of its watches
 * @param watches      watches of its connections
 * @param transactions open transactions of its connections
 */
public record XenstoreUsage(int nodes, long memory, int watches, int transactions) {
    /** Nothing at all: the usage of a domain the daemon does not know. */
    public static final XenstoreUsage NONE = new XenstoreUsage(0, 0, 0, 0);
}
