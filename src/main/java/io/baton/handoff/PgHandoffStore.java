package io.baton.handoff;

import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.PgEventLog;
import io.baton.storage.GroupCommit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
   * A create in one statement, so one round trip and one commit. The conversation is created, or
   * its row locked and its owner set to QUEUED (a closed conversation keeps its owner, an agent
   * keeps the conversation); the handoff is inserted unless the conversation is closed or has an
   * active handoff; its event is inserted with it. Creates that race for one conversation queue on
   * the conversation's row lock, and the loser's insert meets the partial unique index and does
   * nothing: it then reads the winner's handoff in a statement of its own, which sees the winner's
   * commit. With the built-in helpdesk the handoff's ticket and its event are inserted with it
   * ($22–$25; all null otherwise). $26 is the tenant: every row is written in it, and the
   * conversation and its one active handoff are looked for in it only.
   */
  static final String CREATE = """
      WITH conversation AS (
        INSERT INTO conversations AS c (tenant, conversation_id, user_id, owner, created_at, updated_at)
        VALUES ($26, $2, $3, 'QUEUED', $17, $17)
        ON CONFLICT (tenant, conversation_id) DO UPDATE
          SET owner = CASE WHEN c.owner = 'BOT' THEN 'QUEUED' ELSE c.owner END,
              updated_at = EXCLUDED.updated_at,
              version = c.version + 1
        RETURNING owner
      ), handoff AS (
        INSERT INTO handoffs (tenant, handoff_id, conversation_id, user_id, kind, status, priority, queue, routing_rule,
          assigned_agent, ticket_id, ticket_url, trigger, tags, transcript, metadata, context, created_at,
          updated_at, version)
        SELECT $26::text, $1::text, $2::text, $3::text, $4::text, $5::text, $6::smallint, $7::text, $8::text, $9::text,
          $10::text, $11::text, $12::jsonb, $13::jsonb, $14::jsonb, $15::jsonb, $16::jsonb, $17::timestamptz,
          $18::timestamptz, $19::bigint
        FROM conversation
        WHERE conversation.owner <> 'CLOSED'
          AND NOT EXISTS (SELECT 1 FROM handoffs
                          WHERE tenant = $26 AND conversation_id = $2 AND status IN ('pending', 'assigned'))
        ON CONFLICT (tenant, conversation_id) WHERE status IN ('pending', 'assigned') DO NOTHING
        RETURNING handoff_id
      ), event AS (
        INSERT INTO events (type, handoff_id, conversation_id, queue, agent_id, data, at, tenant)
        SELECT $20::text, handoff_id, $2, $7, $9, $21::jsonb, $17, $26 FROM handoff
        RETURNING id
      ), ticket AS (
        INSERT INTO tickets (tenant, ticket_id, handoff_id, status, priority, assigned_agent_id, customer_id, subject, tags,
          source, customer, timeline, created_at, updated_at, version)
        SELECT $26, t.ticket_id, t.handoff_id, t.status, t.priority, t.assigned_agent_id, t.customer_id, t.subject, t.tags,
          t.source, t.customer, t.timeline, t.created_at, t.updated_at, t.version
        FROM handoff, jsonb_populate_record(NULL::tickets, $22::jsonb) AS t
        WHERE $22::jsonb IS NOT NULL
        RETURNING ticket_id
      ), ticket_event AS (
        INSERT INTO events (type, handoff_id, data, at, tenant)
        SELECT $23::text, $1, $24::jsonb, $25::timestamptz, $26 FROM ticket
      )
      SELECT (SELECT owner FROM conversation) AS owner, (SELECT id FROM event) AS event_id""";

  public static final String COLUMNS = """
      handoff_id, conversation_id, user_id, kind, status, priority, queue, routing_rule, assigned_agent,
      ticket_id, ticket_url, trigger, tags, transcript, metadata, context, created_at, updated_at, version""";

  static final String ACTIVE_FOR_CONVERSATION =
      "SELECT " + COLUMNS + " FROM handoffs WHERE tenant = $2 AND conversation_id = $1 AND status IN ('pending', 'assigned')";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM handoffs WHERE handoff_id = $1 AND tenant = $2";

  static final String TENANT_OF = "SELECT tenant FROM handoffs WHERE handoff_id = $1";

  static final String BY_ID_FOR_UPDATE = BY_ID + " FOR UPDATE";

  static final String SET_STATUS = """
      UPDATE handoffs SET status = $2, updated_at = $3, version = version + 1
      WHERE handoff_id = $1 AND version = $4""";

  static final String RETURN_TO_BOT = """
      UPDATE conversations SET owner = 'BOT', agent_id = NULL, updated_at = $2, version = version + 1
      WHERE tenant = $3 AND conversation_id = $1 AND owner <> 'CLOSED'""";

  static final String SET_TICKET = """
      UPDATE handoffs SET ticket_id = $2, ticket_url = $3, updated_at = $4, version = version + 1
      WHERE handoff_id = $1""";

  private final Pool pool;
  private final GroupCommit creates;

  /** {@code maxBatchesRunning}: how many create transactions may run at once (at most the pool size). */
  public PgHandoffStore(Pool pool, int maxBatchesRunning) {
    this.pool = pool;
    this.creates = new GroupCommit(pool, GroupCommit.eachInOneTransaction(CREATE), maxBatchesRunning);
  }

  /**
   * Group commit (see {@link GroupCommit}): under load, creates go together, one transaction for
   * many, conversations locked in id order.
   */
  @Override
  public Future<CreateOutcome> createOrGetActive(String tenant, Handoff draft, InlineTicket ticket) {
    return createOnce(tenant, draft, ticket, 2);
  }

  private Future<CreateOutcome> createOnce(String tenant, Handoff draft, InlineTicket ticket, int attempts) {
    // Locks are taken in (tenant, conversation) order, the order of the rows' primary key.
    return creates.submit(tenant + '\u0000' + draft.conversationId(), List.of(createParams(tenant, draft, ticket)))
        .compose(rows -> outcome(tenant, draft, ticket, rows.getFirst(), attempts));
  }

  /** What a CREATE row says: created, closed, or lost the race to the active handoff (read it). */
  private Future<CreateOutcome> outcome(String tenant, Handoff draft, InlineTicket ticket, Row row, int attempts) {
    if (row.getLong("event_id") != null) {
      return Future.succeededFuture(new CreateOutcome(draft, true));
    }
    if (Owner.CLOSED.name().equals(row.getString("owner"))) {
      return Future.failedFuture(HandoffEvents.closedConversation(draft.conversationId()));
    }
    return pool.preparedQuery(ACTIVE_FOR_CONVERSATION).execute(Tuple.of(draft.conversationId(), tenant))
        .compose(active -> {
          if (active.size() > 0) {
            return Future.succeededFuture(new CreateOutcome(fromRow(active.iterator().next()), false));
          }
          // The active handoff ended between the two statements: this create may go ahead.
          return attempts > 1
              ? createOnce(tenant, draft, ticket, attempts - 1)
              : Future.failedFuture(BatonException.conflict("Conversation " + draft.conversationId()
                  + " changed during the request; retry it", new JsonObject()));
        });
  }

  @Override
  public Future<Optional<Handoff>> get(String tenant, String handoffId) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(handoffId, tenant)).map(PgHandoffStore::first);
  }

  @Override
  public Future<HandoffPage> list(String tenant, HandoffQuery query) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    addFilter(where, params, "tenant", tenant);
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
  public Future<Handoff> cancel(String tenant, String handoffId, Instant at) {
    return pool.withTransaction(tx -> tx.preparedQuery(BY_ID_FOR_UPDATE).execute(Tuple.of(handoffId, tenant))
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
              .compose(updated -> tx.preparedQuery(RETURN_TO_BOT).execute(Tuple.of(current.conversationId(), utc(at), tenant)))
              .compose(updated -> PgEventLog.append(tx, HandoffEvents.cancelled(cancelled).inTenant(tenant)))
              .map(event -> cancelled);
        }));
  }

  @Override
  public Future<Handoff> setTicket(String tenant, String handoffId, String ticketId, String ticketUrl, Instant at) {
    return pool.withTransaction(tx -> tx.preparedQuery(BY_ID_FOR_UPDATE).execute(Tuple.of(handoffId, tenant))
        .compose(rows -> {
          Handoff current = first(rows).orElseThrow(() -> HandoffEvents.notFound(handoffId));
          if (ticketId.equals(current.ticketId())) {
            return Future.succeededFuture(current);
          }
          Handoff linked = current.withTicket(ticketId, ticketUrl, at);
          return tx.preparedQuery(SET_TICKET).execute(Tuple.of(handoffId, ticketId, ticketUrl, utc(at)))
              .compose(updated -> PgEventLog.append(tx, HandoffEvents.ticketLinked(linked).inTenant(tenant)))
              .map(event -> linked);
        }));
  }

  @Override
  public Future<Optional<String>> tenantOf(String handoffId) {
    return pool.preparedQuery(TENANT_OF).execute(Tuple.of(handoffId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("tenant")));
  }

  @Override
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Tuple createParams(String tenant, Handoff h, InlineTicket ticket) {
    Event created = HandoffEvents.created(h);
    return Tuple.from(new Object[] {
        h.id(), h.conversationId(), h.userId(), h.kind(), h.status().wireName(), (short) h.priority().ordinal(),
        h.queue(), h.routingRule(), h.assignedAgent(), h.ticketId(), h.ticketUrl(), h.trigger(),
        new JsonArray(h.tags()), Handoff.transcriptJson(h.transcript()), h.metadata(), h.context(),
        utc(h.createdAt()), utc(h.updatedAt()), h.version(), created.type(), created.data(),
        ticket == null ? null : ticket.row(),
        ticket == null ? null : ticket.created().type(),
        ticket == null ? null : ticket.created().data(),
        ticket == null ? null : utc(ticket.created().at()),
        tenant});
  }

  private static Optional<Handoff> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next()));
  }

  public static Handoff fromRow(Row row) {
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
