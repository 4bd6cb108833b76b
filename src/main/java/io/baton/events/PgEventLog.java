package io.baton.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The event log in PostgreSQL. Writers append inside their own transaction, so an event exists
 * exactly when the change it describes does. Each row also records its transaction id, so that a
 * reader can tell which ids may still appear below the highest one it has seen (sequence values
 * are handed out before commit, not in commit order).
 */
public final class PgEventLog {

  static final String APPEND = """
      INSERT INTO events (type, handoff_id, conversation_id, queue, agent_id, data, at, tenant)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING id""";

  static final String READ_AFTER = """
      SELECT id, type, handoff_id, conversation_id, queue, agent_id, data, at, tenant
      FROM events WHERE id > $1 ORDER BY id LIMIT $2""";

  private PgEventLog() {
  }

  /** Appends the event through the caller's connection (and so its transaction). */
  public static Future<Event> append(SqlClient tx, Event event) {
    Tuple params = Tuple.of(
        event.type(), event.handoffId(), event.conversationId(), event.queue(), event.agentId(),
        event.data(), event.at().atOffset(ZoneOffset.UTC), event.tenant());
    return tx.preparedQuery(APPEND).execute(params)
        .map(rows -> event.withId(rows.iterator().next().getLong("id")));
  }

  /** Committed events with an id above {@code afterId}, oldest first. */
  public static Future<List<Event>> readAfter(SqlClient client, long afterId, int limit) {
    return client.preparedQuery(READ_AFTER).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<Event> events = new ArrayList<>(rows.size());
      for (Row row : rows) {
        events.add(fromRow(row));
      }
      return events;
    });
  }

  static Event fromRow(Row row) {
    Object data = row.getValue("data");
    return new Event(
        row.getLong("id"),
        row.getString("type"),
        row.getString("handoff_id"),
        row.getString("conversation_id"),
        row.getString("queue"),
        row.getString("agent_id"),
        data instanceof JsonObject json ? json : new JsonObject(),
        row.getOffsetDateTime("at").toInstant(),
        row.getString("tenant"));
  }
}
