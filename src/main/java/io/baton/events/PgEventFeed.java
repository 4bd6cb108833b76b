package io.baton.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the PostgreSQL event log in id order without ever skipping an event that commits late.
 *
 * <p>Ids come from a sequence, drawn before commit, so id 7 may be visible while id 6 is still in
 * flight. Filtering on {@code tx < pg_snapshot_xmin} alone is not enough: a transaction with an older
 * xid can draw a higher id than a younger one, and the younger one's lower id would be passed while
 * it is still running. Instead the feed walks ids one by one and stops at the first missing one.
 * Every id is drawn by a transaction that already has its xid (V7's {@code next_event_id}), so a
 * missing id below the highest visible one N belongs to a transaction whose xid was assigned before
 * the gap was seen. A snapshot's {@code xmax} is not a bound for those xids (it is one past the
 * latest <em>completed</em> transaction; a running transaction with a newer xid is above it), so
 * when the feed first sees a gap it takes a fence: a fresh xid of its own, above every xid assigned
 * so far. Once a later snapshot's {@code xmin} is above the fence, every transaction that could hold
 * a missing id has ended: what is still missing will never appear (rolled back) and the feed moves
 * past it.
 */
public final class PgEventFeed implements EventFeed {

  private static final Logger LOG = LoggerFactory.getLogger(PgEventFeed.class);

  static final String HEAD = "SELECT coalesce(max(id), 0) AS id FROM events";

  /** The snapshot's bounds come from the statement's own snapshot, the one the rows are read with. */
  static final String NEXT = """
      SELECT id, type, handoff_id, conversation_id, queue, agent_id, data, at, tenant,
             pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS snapshot_xmin
      FROM events WHERE id > $1 ORDER BY id LIMIT $2""";

  static final String READ_RANGE = """
      SELECT id, type, handoff_id, conversation_id, queue, agent_id, data, at, tenant
      FROM events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3""";

  static final String READ_RANGE_OF_HANDOFF = """
      SELECT id, type, handoff_id, conversation_id, queue, agent_id, data, at, tenant
      FROM events WHERE handoff_id = $3 AND id > $1 AND id <= $2 ORDER BY id LIMIT $4""";

  static final String PRUNED_THROUGH = "SELECT pruned_through FROM events_retention";

  /** Removes a bounded batch and raises the watermark in one statement, so they cannot disagree. */
  static final String PRUNE = """
      WITH doomed AS (
        DELETE FROM events WHERE id IN (
          SELECT id FROM events WHERE at < $1 AND id <= $2 ORDER BY id LIMIT $3)
        RETURNING id),
      removed AS (SELECT max(id) AS top, count(*) AS n FROM doomed)
      UPDATE events_retention SET pruned_through = GREATEST(pruned_through, removed.top)
      FROM removed
      RETURNING removed.n AS n""";

  /** How long a gap may stay open before it is worth a warning (a long transaction holds it). */
  private static final long SLOW_GAP_NANOS = 10_000_000_000L;

  private final Pool pool;

  /** The id of the last event returned by {@link #next}. */
  private long cursor;
  /** Missing ids up to here belong to transactions known to have ended. */
  private long settledThrough;
  /** A gap seen below {@code gapTop} in a snapshot with this {@code xmax}, not yet settled. */
  private long gapTop = -1;
  /** An xid above every xid assigned when the gap was seen; -1 until it is taken. */
  private long gapFence = -1;
  private long gapSince;
  private boolean gapWarned;

  public PgEventFeed(Pool pool) {
    this.pool = pool;
  }

  /**
   * Starts after the highest committed id. An event below it whose transaction is still open at
   * that moment is not published live (the relay was not running when it began); it is in the log,
   * so a stream that resumes from before it still replays it.
   */
  @Override
  public Future<Long> start() {
    return pool.query(HEAD).execute().map(rows -> {
      cursor = rows.iterator().next().getLong("id");
      settledThrough = cursor;
      gapTop = -1;
      return cursor;
    });
  }

  /** Assigns an xid (and commits at once): every xid assigned before it is below it. */
  static final String FENCE = "SELECT pg_current_xact_id()::text::bigint AS fence";

  @Override
  public Future<List<Event>> next(int limit) {
    return pool.preparedQuery(NEXT).execute(Tuple.of(cursor, limit)).compose(rows -> {
      List<Event> ready = advance(rows);
      if (gapTop < 0 || gapFence >= 0) {
        return Future.succeededFuture(ready);
      }
      return pool.query(FENCE).execute().map(fence -> {
        gapFence = fence.iterator().next().getLong("fence");
        return ready;
      });
    });
  }

  private List<Event> advance(RowSet<Row> rows) {
    List<Event> ready = new ArrayList<>(rows.size());
    if (rows.size() == 0) {
      return ready;
    }
    Row first = rows.iterator().next();
    long snapshotXmin = first.getLong("snapshot_xmin");
    if (gapTop >= 0 && gapFence >= 0 && snapshotXmin > gapFence) {
      settledThrough = Math.max(settledThrough, gapTop);
      gapTop = -1;
      gapWarned = false;
    }
    long highest = cursor;
    boolean blocked = false;
    for (Row row : rows) {
      long id = row.getLong("id");
      highest = id;
      if (!blocked && (id == cursor + 1 || id <= settledThrough)) {
        ready.add(PgEventLog.fromRow(row));
        cursor = id;
      } else {
        blocked = true;
      }
    }
    if (blocked && gapTop < 0) {
      gapTop = highest;
      gapFence = -1;
      gapSince = System.nanoTime();
    } else if (blocked && !gapWarned && System.nanoTime() - gapSince > SLOW_GAP_NANOS) {
      gapWarned = true;
      LOG.warn("Event {} has been missing for over {} s while later ones committed: a long transaction on the "
          + "database holds it; events after it wait", cursor + 1, SLOW_GAP_NANOS / 1_000_000_000L);
    }
    return ready;
  }

  @Override
  public Future<List<Event>> read(long afterId, long throughId, String handoffId, int limit) {
    if (afterId >= throughId || limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    Future<RowSet<Row>> rows = handoffId == null
        ? pool.preparedQuery(READ_RANGE).execute(Tuple.of(afterId, throughId, limit))
        : pool.preparedQuery(READ_RANGE_OF_HANDOFF).execute(Tuple.of(afterId, throughId, handoffId, limit));
    return rows.map(found -> {
      List<Event> events = new ArrayList<>(found.size());
      for (Row row : found) {
        events.add(PgEventLog.fromRow(row));
      }
      return events;
    });
  }

  @Override
  public Future<Long> prunedThrough() {
    return pool.query(PRUNED_THROUGH).execute().map(rows -> rows.iterator().next().getLong("pruned_through"));
  }

  @Override
  public Future<Integer> prune(Instant cutoff, long throughId, int limit) {
    return pool.preparedQuery(PRUNE).execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), throughId, limit))
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getLong("n").intValue());
  }

  /**
   * No wake-ups from PostgreSQL: a NOTIFY in the writing transaction would make all commits that
   * append events take turns (see migration V13). The relay polls every {@code events.poll_ms}.
   */
  @Override
  public Future<Void> listen(Vertx vertx, Runnable wakeUp) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unlisten() {
    return Future.succeededFuture();
  }
}
