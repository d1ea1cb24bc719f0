package io.switchboard.health;

/**
 * Fired when the shared state no longer knows this instance (Redis restarted empty, or survivors purged it
 * after a long cut): the instance registers again what only it still knows, its live sessions and their rooms.
 */
public record ClusterStateLost() {
}
