package io.baton.helpdesk;

import io.baton.events.EventTypes;
import io.baton.events.PgEventLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Built-in tickets in PostgreSQL. Each change and its event are written in one transaction. */
public final class PgTicketStore implements TicketStore {

  static final String COLUMNS = """
      ticket_id, handoff_id, status, priority, assigned_agent_id, customer_id, subject, tags, source, customer,
      timeline, created_at, updated_at, version""";

  /** A second open for one handoff meets the unique handoff_id and does nothing; the caller reads the first. */
  static final String INSERT = """
      INSERT INTO tickets (ticket_id, handoff_id, status, priority, assigned_agent_id, customer_id, subject, tags,
        source, customer, timeline, created_at, updated_at, version, tenant)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
      ON CONFLICT (handoff_id) DO NOTHING
      RETURNING ticket_id""";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM tickets WHERE ticket_id = $1 AND tenant = $2";

  static final String BY_ID_FOR_UPDATE = BY_ID + " FOR UPDATE";

  static final String BY_HANDOFF = "SELECT " + COLUMNS + " FROM tickets WHERE handoff_id = $1 AND tenant = $2";

  static final String SAVE = """
      UPDATE tickets SET status = $2, priority = $3, assigned_agent_id = $4, subject = $5, tags = $6,
        timeline = $7, updated_at = $8, version = $9
      WHERE ticket_id = $1""";

  static final String BY_CUSTOMER = "SELECT " + COLUMNS
      + " FROM tickets WHERE tenant = $3 AND customer_id = $1 ORDER BY created_at DESC, ticket_id DESC LIMIT $2";

  private final Pool pool;

  public PgTicketStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Ticket> create(String tenant, Ticket draft) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT).execute(params(tenant, draft)).compose(inserted -> {
      if (inserted.size() == 0) {
        // Another open for this handoff committed first (the insert waited for it): answer its ticket.
        return tx.preparedQuery(BY_HANDOFF).execute(Tuple.of(draft.handoffId(), tenant))
            .map(rows -> first(rows).orElseThrow());
      }
      return PgEventLog.append(tx, TicketEvents.of(EventTypes.TICKET_CREATED, draft).inTenant(tenant))
          .map(event -> draft);
    }));
  }

  @Override
  public Future<Optional<Ticket>> get(String tenant, String ticketId) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(ticketId, tenant)).map(PgTicketStore::first);
  }

  @Override
  public Future<Optional<Ticket>> byHandoff(String tenant, String handoffId) {
    return pool.preparedQuery(BY_HANDOFF).execute(Tuple.of(handoffId, tenant)).map(PgTicketStore::first);
  }

  @Override
  public Future<Ticket> modify(String tenant, String ticketId, String eventType, UnaryOperator<Ticket> change) {
    return pool.withTransaction(tx -> tx.preparedQuery(BY_ID_FOR_UPDATE).execute(Tuple.of(ticketId, tenant))
        .compose(rows -> {
          Ticket current = first(rows).orElseThrow(TicketEvents::notFound);
          Ticket changed = change.apply(current);
          return save(tx, changed)
              .compose(saved -> PgEventLog.append(tx, TicketEvents.of(eventType, changed).inTenant(tenant)))
              .map(event -> changed);
        }));
  }

  private static Future<RowSet<Row>> save(SqlClient tx, Ticket t) {
    return tx.preparedQuery(SAVE).execute(Tuple.from(new Object[] {
        t.id(), t.status().wireName(), t.priority(), t.assignedAgentId(), t.subject(), new JsonArray(t.tags()),
        t.timeline(), utc(t.updatedAt()), t.version()}));
  }

  @Override
  public Future<TicketPage> list(String tenant, TicketQuery query) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    params.addValue(tenant);
    where.add("tenant = $1");
    if (query.status() != null) {
      params.addValue(query.status().wireName());
      where.add("status = $" + params.size());
    }
    if (query.assignedAgentId() != null) {
      params.addValue(query.assignedAgentId());
      where.add("assigned_agent_id = $" + params.size());
    }
    String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    int n = params.size();
    String count = "SELECT count(*) AS total FROM tickets" + filter;
    String page = "SELECT " + COLUMNS + " FROM tickets" + filter
        + " ORDER BY created_at DESC, ticket_id DESC LIMIT $" + (n + 1) + " OFFSET $" + (n + 2);
    Tuple pageParams = Tuple.tuple();
    for (int i = 0; i < n; i++) {
      pageParams.addValue(params.getValue(i));
    }
    pageParams.addInteger(query.pageSize()).addInteger(query.offset());
    Future<RowSet<Row>> total = pool.preparedQuery(count).execute(params);
    Future<RowSet<Row>> rows = pool.preparedQuery(page).execute(pageParams);
    return Future.all(total, rows).map(done -> {
      List<Ticket> tickets = new ArrayList<>();
      rows.result().forEach(row -> tickets.add(fromRow(row)));
      return new TicketPage(tickets, total.result().iterator().next().getLong("total"), query.page(),
          query.pageSize());
    });
  }

  @Override
  public Future<List<Ticket>> byCustomer(String tenant, String customerId, int limit) {
    return pool.preparedQuery(BY_CUSTOMER).execute(Tuple.of(customerId, limit, tenant)).map(rows -> {
      List<Ticket> tickets = new ArrayList<>();
      rows.forEach(row -> tickets.add(fromRow(row)));
      return tickets;
    });
  }

  private static Tuple params(String tenant, Ticket t) {
    return Tuple.from(new Object[] {
        t.id(), t.handoffId(), t.status().wireName(), t.priority(), t.assignedAgentId(), t.customerId(), t.subject(),
        new JsonArray(t.tags()), t.source(), t.customer(), t.timeline(), utc(t.createdAt()), utc(t.updatedAt()),
        t.version(), tenant});
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Optional<Ticket> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next()));
  }

  static Ticket fromRow(Row row) {
    JsonArray tags = (JsonArray) row.getValue("tags");
    return new Ticket(
        row.getString("ticket_id"),
        row.getString("handoff_id"),
        TicketStatus.parse(row.getString("status")).orElseThrow(),
        row.getString("priority"),
        row.getString("assigned_agent_id"),
        row.getString("customer_id"),
        row.getString("subject"),
        tags.stream().map(String::valueOf).toList(),
        (JsonObject) row.getValue("source"),
        (JsonObject) row.getValue("customer"),
        (JsonArray) row.getValue("timeline"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(),
        row.getLong("version"));
  }
}
