package io.baton.handoff;

import io.baton.bus.BatonException;
import io.baton.events.PgEventLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Handoffs in PostgreSQL. Each change and its event are written in one transaction. */
public final class PgHandoffStore implements HandoffStore {

  /**
   * Creates the conversation or touches it, taking its row lock: creates for one conversation take
   * turns from here on, so the active-handoff check below cannot race. A closed conversation keeps
   * its owner; any other becomes QUEUED (an AGENT owner keeps its agent until operator work changes it).
   */
  static final String LOCK_CONVERSATION = """
      INSERT INTO conversations AS c (conversation_id, user_id, owner, created_at, updated_at)
      VALUES ($1, $2, 'QUEUED', $3, $3)
      ON CONFLICT (conversation_id) DO UPDATE
        SET owner = CASE WHEN c.owner = 'BOT' THEN 'QUEUED' ELSE c.owner END,
            updated_at = EXCLUDED.updated_at,
            version = c.version + 1
      RETURNING owner""";

  static final String COLUMNS = """
      handoff_id, conversation_id, user_id, kind, status, priority, queue, routing_rule, assigned_agent,
      ticket_id, ticket_url, trigger, tags, transcript, metadata, context, created_at, updated_at, version""";

  static final String ACTIVE_FOR_CONVERSATION =
      "SELECT " + COLUMNS + " FROM handoffs WHERE conversation_id = $1 AND status IN ('pending', 'assigned')";

  static final String INSERT = """
      INSERT INTO handoffs (handoff_id, conversation_id, user_id, kind, status, priority, queue, routing_rule,
        assigned_agent, ticket_id, ticket_url, trigger, tags, transcript, metadata, context, created_at,
        updated_at, version)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)""";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM handoffs WHERE handoff_id = $1";

  static final String BY_ID_FOR_UPDATE = BY_ID + " FOR UPDATE";

  static final String SET_STATUS = """
      UPDATE handoffs SET status = $2, updated_at = $3, version = version + 1
      WHERE handoff_id = $1 AND version = $4""";

  static final String RETURN_TO_BOT = """
      UPDATE conversations SET owner = 'BOT', agent_id = NULL, updated_at = $2, version = version + 1
      WHERE conversation_id = $1 AND owner <> 'CLOSED'""";

  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public PgHandoffStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<CreateOutcome> createOrGetActive(Handoff draft) {
    return pool.withTransaction(tx -> createIn(tx, draft))
        // The lock makes this unreachable between Baton instances, but a writer that does not take
        // it (a manual fix in SQL) still meets the unique index: answer the winner, as documented.
        .recover(failure -> isUniqueViolation(failure)
            ? activeFor(draft.conversationId()).map(h -> new CreateOutcome(h, false))
            : Future.failedFuture(failure));
  }

  private Future<CreateOutcome> createIn(SqlConnection tx, Handoff draft) {
    Tuple conversation = Tuple.of(draft.conversationId(), draft.userId(), utc(draft.createdAt()));
    return tx.preparedQuery(LOCK_CONVERSATION).execute(conversation)
        .compose(rows -> {
          if (Owner.CLOSED.name().equals(rows.iterator().next().getString("owner"))) {
            return Future.failedFuture(HandoffEvents.closedConversation(draft.conversationId()));
          }
          return tx.preparedQuery(ACTIVE_FOR_CONVERSATION).execute(Tuple.of(draft.conversationId()));
        })
        .compose(active -> {
          if (active.size() > 0) {
            return Future.succeededFuture(new CreateOutcome(fromRow(active.iterator().next()), false));
          }
          return tx.preparedQuery(INSERT).execute(insertParams(draft))
              .compose(inserted -> PgEventLog.append(tx, HandoffEvents.created(draft)))
              .map(event -> new CreateOutcome(draft, true));
        });
  }

  private Future<Handoff> activeFor(String conversationId) {
    return pool.preparedQuery(ACTIVE_FOR_CONVERSATION).execute(Tuple.of(conversationId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw BatonException.conflict(
                "Conversation " + conversationId + " changed during the request; retry it", new JsonObject());
          }
          return fromRow(rows.iterator().next());
        });
  }

  @Override
  public Future<Optional<Handoff>> get(String handoffId) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(handoffId)).map(PgHandoffStore::first);
  }

  @Override
  public Future<HandoffPage> list(HandoffQuery query) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    addFilter(where, params, "status", query.status() == null ? null : query.status().wireName());
    addFilter(where, params, "queue", query.queue());
    addFilter(where, params, "assigned_agent", query.agentId());
    addFilter(where, params, "conversation_id", query.conversationId());
    addFilter(where, params, "user_id", query.userId());
    addFilter(where, params, "priority", query.priority() == null ? null : (short) query.priority().ordinal());
    String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);

    String count = "SELECT count(*) AS total FROM handoffs" + filter;
    int n = params.size();
    String page = "SELECT " + COLUMNS + " FROM handoffs" + filter
        + " ORDER BY priority DESC, created_at, handoff_id LIMIT $" + (n + 1) + " OFFSET $" + (n + 2);
    Tuple pageParams = Tuple.tuple(new ArrayList<>(params.size() + 2));
    for (int i = 0; i < n; i++) {
      pageParams.addValue(params.getValue(i));
    }
    pageParams.addInteger(query.pageSize()).addInteger(query.offset());

    Future<RowSet<Row>> total = pool.preparedQuery(count).execute(params);
    Future<RowSet<Row>> rows = pool.preparedQuery(page).execute(pageParams);
    return Future.all(total, rows).map(done -> {
      List<Handoff> handoffs = new ArrayList<>();
      rows.result().forEach(row -> handoffs.add(fromRow(row)));
      long totalCount = total.result().iterator().next().getLong("total");
      return new HandoffPage(handoffs, totalCount, query.page(), query.pageSize());
    });
  }

  private static void addFilter(List<String> where, Tuple params, String column, Object value) {
    if (value != null) {
      params.addValue(value);
      where.add(column + " = $" + params.size());
    }
  }

  @Override
  public Future<Handoff> cancel(String handoffId, Instant at) {
    return pool.withTransaction(tx -> tx.preparedQuery(BY_ID_FOR_UPDATE).execute(Tuple.of(handoffId))
        .compose(rows -> {
          Handoff current = first(rows).orElseThrow(() -> HandoffEvents.notFound(handoffId));
          if (current.status() == HandoffStatus.CANCELLED) {
            return Future.succeededFuture(current);
          }
          if (current.status() != HandoffStatus.PENDING) {
            return Future.failedFuture(HandoffEvents.notPending(current));
          }
          Handoff cancelled = current.withStatus(HandoffStatus.CANCELLED, at);
          return tx.preparedQuery(SET_STATUS)
              .execute(Tuple.of(handoffId, cancelled.status().wireName(), utc(at), current.version()))
              .compose(updated -> tx.preparedQuery(RETURN_TO_BOT).execute(Tuple.of(current.conversationId(), utc(at))))
              .compose(updated -> PgEventLog.append(tx, HandoffEvents.cancelled(cancelled)))
              .map(event -> cancelled);
        }));
  }

  @Override
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  private static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Tuple insertParams(Handoff h) {
    return Tuple.from(new Object[] {
        h.id(), h.conversationId(), h.userId(), h.kind(), h.status().wireName(), (short) h.priority().ordinal(),
        h.queue(), h.routingRule(), h.assignedAgent(), h.ticketId(), h.ticketUrl(), h.trigger(),
        new JsonArray(h.tags()), Handoff.transcriptJson(h.transcript()), h.metadata(), h.context(),
        utc(h.createdAt()), utc(h.updatedAt()), h.version()});
  }

  private static Optional<Handoff> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next()));
  }

  static Handoff fromRow(Row row) {
    JsonArray tags = (JsonArray) row.getValue("tags");
    return new Handoff(
        row.getString("handoff_id"),
        row.getString("conversation_id"),
        row.getString("user_id"),
        row.getString("kind"),
        HandoffStatus.parse(row.getString("status")).orElseThrow(),
        Priority.values()[row.getShort("priority")],
        row.getString("queue"),
        row.getString("routing_rule"),
        row.getString("assigned_agent"),
        row.getString("ticket_id"),
        row.getString("ticket_url"),
        (JsonObject) row.getValue("trigger"),
        tags.stream().map(String::valueOf).toList(),
        Handoff.transcriptFrom((JsonArray) row.getValue("transcript")),
        (JsonObject) row.getValue("metadata"),
        (JsonObject) row.getValue("context"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(),
        row.getLong("version"));
  }
}
