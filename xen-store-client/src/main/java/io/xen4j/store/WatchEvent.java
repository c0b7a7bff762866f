package io.xen4j.store;

/**
 * A watch fired: a node at or under the watched path changed (was written, created, removed, or
 * had its permissions changed), or a special event ({@code @introduceDomain},
 * {@code @releaseDomain}) happened. Right after a watch is set the daemon fires it once with the
 * watched path itself.
 *
 * <p>When the listener falls behind and the watch's queue is full, new events are merged into
 * the last queued one: {@link #count()} tells how many events it stands for, and its path is the
 * watched path if the merged events named different nodes. A merged event means "something under
 * this path changed, read it again"; no change is lost, only detail.
 *
 * @param path  the node that changed, or the watched path for a merged event
 * @param token the token of the watch
 * @param count how many events of the daemon this one stands for, 1 unless merged
 */
public record WatchEvent(String path, String token, int count) {
    /**
     * Whether this event stands for several merged ones.
     *
     * @return true if {@link #count()} is over 1
     */
    public boolean coalesced() {
        return count > 1;
    }
}
