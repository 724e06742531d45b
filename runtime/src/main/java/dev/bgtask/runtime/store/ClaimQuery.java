package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * One claim: up to {@code limit} tasks due by {@code now} in {@code queues}, leaving out the
 * {@code paused} queues and the {@code unloadable} classes, taken in priority order (lowest first
 * when {@code ascendingPriority}) and marked with {@code token} for {@code worker}. An
 * {@code ahead} claim takes tasks beyond the free threads: rows marked so, and none that was ever
 * reaped from a dead worker.
 */
record ClaimQuery(Instant now, List<String> queues, Collection<String> paused, Collection<String> unloadable,
    boolean ascendingPriority, int limit, String token, String worker, boolean ahead) {
}
