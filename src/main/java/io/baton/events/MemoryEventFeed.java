package io.baton.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;

/**
 * The embedded log's feed. Ids are assigned in order under the store's lock and an event is in the
 * log as soon as its change is, so there are no gaps to wait out: the feed just follows the log.
 */
public final class MemoryEventFeed implements EventFeed {

  private final MemoryEventLog log;
  private long cursor;

  public MemoryEventFeed(MemoryEventLog log) {
    this.log = log;
  }

  @Override
  public Future<Long> start() {
    cursor = log.lastId();
    return Future.succeededFuture(cursor);
  }

  @Override
  public Future<List<Event>> next(int limit) {
    List<Event> events = log.read(cursor, Long.MAX_VALUE, null, limit);
    if (!events.isEmpty()) {
      cursor = events.getLast().id();
    } else {
      // Events the retention removed before the relay saw them are gone for every reader.
      cursor = Math.max(cursor, Math.min(log.prunedThrough(), log.lastId()));
    }
    return Future.succeededFuture(events);
  }

  @Override
  public Future<List<Event>> read(long afterId, long throughId, String handoffId, int limit) {
    return Future.succeededFuture(log.read(afterId, throughId, handoffId, limit));
  }

  @Override
  public Future<Long> prunedThrough() {
    return Future.succeededFuture(log.prunedThrough());
  }

  @Override
  public Future<Integer> prune(Instant cutoff, long throughId, int limit) {
    return Future.succeededFuture(log.prune(cutoff, throughId, limit));
  }

  @Override
  public Future<Void> listen(Vertx vertx, Runnable wakeUp) {
    log.onAppend(wakeUp);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unlisten() {
    log.onAppend(null);
    return Future.succeededFuture();
  }
}
