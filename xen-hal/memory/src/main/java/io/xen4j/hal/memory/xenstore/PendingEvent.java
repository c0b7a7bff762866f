package io.xen4j.hal.memory.xenstore;

import org.jspecify.annotations.Nullable;

/**
 * A node change that fires watches, with the permissions that decide who may see it (XSA-115: a
 * watcher gets an event only for a node it may read, or whose parent it may read).
 *
 * @param path    canonical path of the changed node, or a special path
 * @param exact   true to match only watches on exactly this path (the children of a removed
 *                subtree), false to match watches on it and on its parents
 * @param node    permissions of the node (after the change, or before a removal)
 * @param oldPerm permissions before a permission change, or null
 * @param parent  permissions of the parent, or null
 */
record PendingEvent(String path, boolean exact, @Nullable NodePerms node, @Nullable NodePerms oldPerm,
                    @Nullable NodePerms parent) {
}
