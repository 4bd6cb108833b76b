package io.baton.outbound;

import io.baton.events.PgEventLog;
import io.baton.operator.ConversationMessage;
import io.baton.operator.PgOperatorStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sends in PostgreSQL; claims with FOR UPDATE SKIP LOCKED, so instances never share one. */
public final class PgOutboundStore implements OutboundStore {

  static final String COLUMNS = "conversation_id, message_id, channel, account, recipient, payload, status, attempts, "
      + "next_attempt_at, last_error, tenant";

  static final String ENQUEUE = """
      INSERT INTO outbound_deliveries (conversation_id, message_id, channel, account, recipient, payload, status,
        attempts, next_attempt_at, created_at, updated_at, tenant)
      VALUES ($1, $2, $3, $4, $5, $6, 'retrying', 0, $7, $8, $8, $9)
      ON CONFLICT (tenant, conversation_id, message_id) DO NOTHING
      RETURNING message_id""";

  /** The send as enqueue left it (never claimed since: next_attempt_at unchanged), leased. */
  static final String CLAIM = "UPDATE outbound_deliveries SET next_attempt_at = $4 "
      + "WHERE tenant = $5 AND conversation_id = $1 AND message_id = $2 AND status = 'retrying' "
      + "AND next_attempt_at = $3 "
      + "RETURNING " + COLUMNS;

  static final String CLAIM_DUE = "UPDATE outbound_deliveries d SET next_attempt_at = $2 "
      + "FROM (SELECT tenant, conversation_id, message_id FROM outbound_deliveries "
      + "      WHERE status = 'retrying' AND next_attempt_at <= $1 "
      + "      ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due "
      + "WHERE d.tenant = due.tenant AND d.conversation_id = due.conversation_id AND d.message_id = due.message_id "
      + "RETURNING d." + COLUMNS.replace(", ", ", d.");

  static final String DELETE = "DELETE FROM outbound_deliveries WHERE tenant = $3 AND conversation_id = $1 AND message_id = $2";

  static final String RETRY_LATER = """
      UPDATE outbound_deliveries SET attempts = $3, next_attempt_at = $4, last_error = $5, updated_at = $6
      WHERE tenant = $7 AND conversation_id = $1 AND message_id = $2 AND status = 'retrying'""";

  static final String GIVE_UP = "UPDATE outbound_deliveries SET status = 'failed', attempts = $3, last_error = $4, "
      + "updated_at = $5 WHERE tenant = $6 AND conversation_id = $1 AND message_id = $2 AND status = 'retrying' "
      + "RETURNING " + COLUMNS;

  static final String GET = "SELECT " + COLUMNS
      + " FROM outbound_deliveries WHERE tenant = $3 AND conversation_id = $1 AND message_id = $2";

  private final Pool pool;

  public PgOutboundStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Boolean> enqueue(OutboundDelivery d, Instant now) {
    return pool.preparedQuery(ENQUEUE).execute(Tuple.from(new Object[] {d.conversationId(), d.messageId(),
            d.channel(), d.account(), d.recipient(), d.payload(), utc(d.nextAttemptAt()), utc(now), d.tenant()}))
        .map(rows -> rows.size() == 1);
  }

  @Override
  public Future<Optional<OutboundDelivery>> claim(String tenant, String conversationId, String messageId, Instant dueAt,
      Instant leaseUntil) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(conversationId, messageId, utc(dueAt), utc(leaseUntil), tenant))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next())));
  }

  @Override
  public Future<List<OutboundDelivery>> claimDue(Instant now, Instant leaseUntil, int limit) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(rows -> {
      List<OutboundDelivery> claimed = new ArrayList<>();
      rows.forEach(row -> claimed.add(fromRow(row)));
      return claimed;
    });
  }

  @Override
  public Future<Optional<ConversationMessage>> sent(String tenant, String conversationId, String messageId,
      String providerMessageId, Instant now) {
    return pool.withTransaction(tx -> tx.preparedQuery(DELETE).execute(Tuple.of(conversationId, messageId, tenant))
        .compose(deleted -> PgOperatorStore.recordSent(tx, tenant, conversationId, messageId, providerMessageId, now)));
  }

  @Override
  public Future<Void> retryLater(String tenant, String conversationId, String messageId, int attempts,
      Instant nextAttemptAt, String error, Instant now) {
    return pool.preparedQuery(RETRY_LATER)
        .execute(Tuple.from(new Object[] {conversationId, messageId, attempts, utc(nextAttemptAt), error, utc(now),
            tenant}))
        .mapEmpty();
  }

  @Override
  public Future<Void> giveUp(String tenant, String conversationId, String messageId, int attempts, String error,
      Instant now) {
    return pool.withTransaction(tx -> tx.preparedQuery(GIVE_UP)
        .execute(Tuple.of(conversationId, messageId, attempts, error, utc(now), tenant))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          OutboundDelivery delivery = fromRow(rows.iterator().next());
          return PgOperatorStore.updateDeliveryStatus(tx, tenant, conversationId, messageId, "failed", now)
              .compose(failed -> PgEventLog.append(tx, OutboundEvents.deliveryFailed(delivery,
                  failed.map(ConversationMessage::agentId).orElse(null), attempts, error, now).inTenant(tenant)))
              .mapEmpty();
        }));
  }

  @Override
  public Future<Void> drop(String tenant, String conversationId, String messageId) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(conversationId, messageId, tenant)).mapEmpty();
  }

  @Override
  public Future<Optional<OutboundDelivery>> get(String tenant, String conversationId, String messageId) {
    return pool.preparedQuery(GET).execute(Tuple.of(conversationId, messageId, tenant))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next())));
  }

  @Override
  public Future<Void> recordBreakerState(String channel, String state, Instant at) {
    return PgEventLog.append(pool, OutboundEvents.breakerChanged(channel, state, at)).mapEmpty();
  }

  private static OutboundDelivery fromRow(Row row) {
    return new OutboundDelivery(row.getString("conversation_id"), row.getString("message_id"),
        row.getString("channel"), row.getString("account"), row.getString("recipient"),
        (JsonObject) row.getValue("payload"), row.getString("status"), row.getInteger("attempts"),
        row.getOffsetDateTime("next_attempt_at").toInstant(), row.getString("last_error"), row.getString("tenant"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
