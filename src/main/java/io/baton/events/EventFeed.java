package io.baton.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;

/**
 * The reading side of the event log, as the relay and stream replays use it. Writers append
 * through their stores ({@link PgEventLog}, {@link MemoryEventLog}); this reads what they
 * committed, in id order, never past an id that may still commit.
 *
 * <p>{@link #next} is stateful and must be called by one reader at a time (the relay).
 */
public interface EventFeed {

  /** Positions the feed after the newest committed event and answers its id (0 for an empty log). */
  Future<Long> start();

  /**
   * The next committed events after the last one returned, oldest first, at most {@code limit}.
   * It stops before an id that is missing while its transaction may still commit, and passes it
   * only once it cannot (aborted, or never written).
   */
  Future<List<Event>> next(int limit);

  /** Committed events with {@code afterId < id <= throughId}, oldest first; only one handoff's when it is set. */
  Future<List<Event>> read(long afterId, long throughId, String handoffId, int limit);

  /** The highest id removed by retention (0 when none was): a reader below it has missed events. */
  Future<Long> prunedThrough();

  /** Removes at most {@code limit} events that happened before {@code cutoff}, with ids up to {@code throughId}; answers how many. */
  Future<Integer> prune(Instant cutoff, long throughId, int limit);

  /**
   * Calls {@code wakeUp} (from any thread) when new events may have committed. Wake-ups are hints
   * the relay takes as well as its poll: the embedded log gives one per append; PostgreSQL gives
   * none (see PgEventFeed), so there the poll is all.
   */
  Future<Void> listen(Vertx vertx, Runnable wakeUp);

  Future<Void> unlisten();
}
