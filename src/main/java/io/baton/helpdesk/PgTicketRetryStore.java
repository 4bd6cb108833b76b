package io.baton.helpdesk;

import io.baton.events.Event;
import io.baton.events.PgEventLog;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Ticket retries in PostgreSQL; claims with FOR UPDATE SKIP LOCKED, so instances never share one. */
public final class PgTicketRetryStore implements TicketRetryStore {

  static final String RETRY_LATER = """
      INSERT INTO ticket_retries (handoff_id, status, attempts, next_attempt_at, last_error, updated_at)
      VALUES ($1, 'retrying', $2, $3, $4, $5)
      ON CONFLICT (handoff_id) DO UPDATE SET status = 'retrying', attempts = EXCLUDED.attempts,
        next_attempt_at = EXCLUDED.next_attempt_at, last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at""";

  static final String CLAIM_NEW = """
      INSERT INTO ticket_retries (handoff_id, status, attempts, next_attempt_at, last_error, updated_at)
      VALUES ($1, 'retrying', 0, $2, 'the first attempt is running', $3)
      ON CONFLICT (handoff_id) DO NOTHING
      RETURNING handoff_id""";

  static final String CLAIM_DUE = """
      UPDATE ticket_retries r SET next_attempt_at = $2
      FROM (SELECT handoff_id FROM ticket_retries
            WHERE status = 'retrying' AND next_attempt_at <= $1
            ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
      WHERE r.handoff_id = due.handoff_id
      RETURNING r.handoff_id, r.status, r.attempts, r.next_attempt_at, r.last_error""";

  static final String DONE = "DELETE FROM ticket_retries WHERE handoff_id = $1";

  static final String GIVE_UP = """
      UPDATE ticket_retries SET status = 'failed', attempts = $2, last_error = $3, updated_at = $4
      WHERE handoff_id = $1
      RETURNING (SELECT conversation_id FROM handoffs WHERE handoff_id = $1) AS conversation_id,
                (SELECT queue FROM handoffs WHERE handoff_id = $1) AS queue""";

  static final String GET = """
      SELECT handoff_id, status, attempts, next_attempt_at, last_error FROM ticket_retries WHERE handoff_id = $1""";

  static final String ADOPT_ORPHANS = """
      INSERT INTO ticket_retries (handoff_id, status, attempts, next_attempt_at, last_error, updated_at)
      SELECT h.handoff_id, 'retrying', 0, $2, 'no ticket was asked for (the instance stopped)', $2
      FROM handoffs h
      WHERE h.ticket_id IS NULL AND h.status IN ('pending', 'assigned') AND h.created_at < $1
        AND NOT EXISTS (SELECT 1 FROM ticket_retries r WHERE r.handoff_id = h.handoff_id)
      ORDER BY h.created_at LIMIT $3
      ON CONFLICT (handoff_id) DO NOTHING""";

  private final Pool pool;

  public PgTicketRetryStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> retryLater(String handoffId, int attempts, Instant nextAttemptAt, String error, Instant now) {
    return pool.preparedQuery(RETRY_LATER).execute(Tuple.of(handoffId, attempts, utc(nextAttemptAt), error, utc(now)))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> claimNew(String handoffId, Instant leaseUntil, Instant now) {
    return pool.preparedQuery(CLAIM_NEW).execute(Tuple.of(handoffId, utc(leaseUntil), utc(now)))
        .map(rows -> rows.size() == 1);
  }

  @Override
  public Future<List<TicketRetry>> claimDue(Instant now, Instant leaseUntil, int limit) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(rows -> {
      List<TicketRetry> claimed = new ArrayList<>();
      rows.forEach(row -> claimed.add(fromRow(row)));
      return claimed;
    });
  }

  @Override
  public Future<Void> done(String handoffId) {
    return pool.preparedQuery(DONE).execute(Tuple.of(handoffId)).mapEmpty();
  }

  @Override
  public Future<Void> giveUp(String handoffId, int attempts, String error, Instant now) {
    return pool.withTransaction(tx -> tx.preparedQuery(GIVE_UP).execute(Tuple.of(handoffId, attempts, error, utc(now)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          Row row = rows.iterator().next();
          Event failed = TicketRetryEvents.failed(handoffId, row.getString("conversation_id"), row.getString("queue"),
              attempts, error, now);
          return PgEventLog.append(tx, failed).mapEmpty();
        }));
  }

  @Override
  public Future<Void> recordBreakerState(String helpdesk, String state, Instant at) {
    return PgEventLog.append(pool, TicketRetryEvents.breakerChanged(helpdesk, state, at)).mapEmpty();
  }

  @Override
  public Future<Optional<TicketRetry>> get(String handoffId) {
    return pool.preparedQuery(GET).execute(Tuple.of(handoffId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next())));
  }

  @Override
  public Future<Integer> adoptOrphans(Instant createdBefore, Instant now, int limit) {
    return pool.preparedQuery(ADOPT_ORPHANS).execute(Tuple.of(utc(createdBefore), utc(now), limit))
        .map(rows -> rows.rowCount());
  }

  private static TicketRetry fromRow(Row row) {
    return new TicketRetry(row.getString("handoff_id"), row.getString("status"), row.getInteger("attempts"),
        row.getOffsetDateTime("next_attempt_at").toInstant(), row.getString("last_error"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
