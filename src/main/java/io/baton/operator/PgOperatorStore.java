package io.baton.operator;

import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.PgEventLog;
import io.baton.handoff.Handoff;
import io.baton.handoff.Owner;
import io.baton.handoff.PgHandoffStore;
import io.baton.handoff.Speaker;
import io.baton.operator.OperatorTransitions.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The operator store in PostgreSQL. A transition locks the handoff row first and then the
 * conversation row (the order cancel uses too, so they cannot deadlock), decides on the locked
 * state, and writes the change and its events in the same transaction; the updates are also
 * conditional on the version read, so a change never lands on a state it did not see.
 */
public final class PgOperatorStore implements OperatorStore {

  static final String HANDOFF_FOR_UPDATE =
      "SELECT " + PgHandoffStore.COLUMNS + " FROM handoffs WHERE handoff_id = $1 FOR UPDATE";

  static final String ACTIVE_FOR_UPDATE = "SELECT " + PgHandoffStore.COLUMNS
      + " FROM handoffs WHERE conversation_id = $1 AND status IN ('pending', 'assigned') FOR UPDATE";

  static final String ACTIVE_ID =
      "SELECT handoff_id FROM handoffs WHERE conversation_id = $1 AND status IN ('pending', 'assigned')";

  static final String ACTIVE = "SELECT " + PgHandoffStore.COLUMNS
      + " FROM handoffs WHERE conversation_id = $1 AND status IN ('pending', 'assigned')";

  static final String CONVERSATION =
      "SELECT conversation_id, user_id, owner, agent_id FROM conversations WHERE conversation_id = $1";

  static final String CONVERSATION_FOR_UPDATE = CONVERSATION + " FOR UPDATE";

  static final String UPDATE_HANDOFF = """
      UPDATE handoffs SET status = $2, assigned_agent = $3, resolution = COALESCE($4, resolution), updated_at = $5,
        answer = COALESCE($7, answer), version = version + 1
      WHERE handoff_id = $1 AND version = $6""";

  static final String ANSWER = "SELECT answer FROM handoffs WHERE handoff_id = $1";

  static final String UPDATE_CONVERSATION = """
      UPDATE conversations SET owner = $2, agent_id = $3, updated_at = $4, version = version + 1
      WHERE conversation_id = $1""";

  static final String ENSURE_CONVERSATION = """
      INSERT INTO conversations (conversation_id, user_id, owner, created_at, updated_at)
      VALUES ($1, $2, 'BOT', $3, $3)
      ON CONFLICT (conversation_id) DO NOTHING""";

  static final String MESSAGE_COLUMNS =
      "message_id, conversation_id, speaker, content, agent_id, media, delivery_status, created_at";

  static final String INSERT_MESSAGE = "INSERT INTO messages (" + MESSAGE_COLUMNS + """
      ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (conversation_id, message_id) DO NOTHING
      RETURNING seq""";

  static final String MESSAGE_BY_ID =
      "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = $1 AND message_id = $2";

  static final String MESSAGES_PAGE =
      "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = $1 ORDER BY seq LIMIT $2 OFFSET $3";

  static final String MESSAGES_COUNT = "SELECT count(*) AS total FROM messages WHERE conversation_id = $1";

  static final String PENDING = "SELECT " + PgHandoffStore.COLUMNS + """
       FROM handoffs WHERE status = 'pending' AND ($1::text IS NULL OR queue = $1)
      ORDER BY priority DESC, created_at, handoff_id LIMIT $2""";

  static final String PENDING_COUNT =
      "SELECT count(*) AS total FROM handoffs WHERE status = 'pending' AND ($1::text IS NULL OR queue = $1)";

  static final String ASSIGNED_TO = "SELECT " + PgHandoffStore.COLUMNS + """
       FROM handoffs WHERE status = 'assigned' AND assigned_agent = $1
      ORDER BY priority DESC, created_at, handoff_id LIMIT $2""";

  static final String PUT_AGENT = """
      INSERT INTO agents AS a (agent_id, name, queues, max_concurrent, status, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $6)
      ON CONFLICT (agent_id) DO UPDATE
        SET name = EXCLUDED.name, queues = EXCLUDED.queues, max_concurrent = EXCLUDED.max_concurrent,
            status = EXCLUDED.status, updated_at = EXCLUDED.updated_at""";

  static final String AGENTS_WITH_LOAD = """
      SELECT a.agent_id, a.name, a.queues, a.max_concurrent, a.status, a.updated_at,
        (SELECT count(*) FROM handoffs h WHERE h.status = 'assigned' AND h.assigned_agent = a.agent_id) AS load
      FROM agents a""";

  static final String AGENT_WITH_LOAD = AGENTS_WITH_LOAD + " WHERE a.agent_id = $1";

  static final String ALL_AGENTS_WITH_LOAD = AGENTS_WITH_LOAD + " ORDER BY a.agent_id";

  /** A conversation-keyed transition retries when a handoff appears between its two locks. */
  private static final int CONVERSATION_ATTEMPTS = 3;

  private final Pool pool;

  public PgOperatorStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Handoff> assign(String handoffId, String agentId, Instant at) {
    return onHandoff(handoffId, (h, c) -> OperatorTransitions.assign(h, c, agentId, at), null);
  }

  @Override
  public Future<Handoff> release(String handoffId, Instant at) {
    return onHandoff(handoffId, (h, c) -> OperatorTransitions.release(h, c, at), null);
  }

  @Override
  public Future<Handoff> resolve(String handoffId, String resolution, Instant at) {
    return onHandoff(handoffId, (h, c) -> OperatorTransitions.resolve(h, c, resolution, at), resolution);
  }

  @Override
  public Future<Answered> answer(String handoffId, JsonObject answer, Instant at) {
    return pool.withTransaction(tx -> tx.preparedQuery(HANDOFF_FOR_UPDATE).execute(Tuple.of(handoffId))
        .compose(rows -> {
          Handoff current = Optional.ofNullable(firstHandoff(rows))
              .orElseThrow(() -> OperatorStore.handoffNotFound(handoffId));
          Future<RowSet<Row>> previous = tx.preparedQuery(ANSWER).execute(Tuple.of(handoffId));
          return previous.compose(answered -> tx.preparedQuery(CONVERSATION_FOR_UPDATE)
              .execute(Tuple.of(current.conversationId()))
              .compose(conversation -> {
                JsonObject before = (JsonObject) answered.iterator().next().getValue("answer");
                Outcome outcome = OperatorTransitions.answer(current, conversationFrom(conversation).orElseThrow(),
                    before, answer, at);
                return write(tx, outcome, current, null, answer)
                    .map(written -> new Answered(outcome.handoff(), outcome.changed() ? answer : before));
              }));
        }));
  }

  @Override
  public Future<ConversationView> assignActive(String conversationId, String agentId, Instant at) {
    return onConversation(conversationId, (c, active) -> {
      if (active == null) {
        throw OperatorStore.noActiveHandoff(c);
      }
      return OperatorTransitions.assign(active, c, agentId, at);
    }, CONVERSATION_ATTEMPTS);
  }

  @Override
  public Future<ConversationView> takeOver(String conversationId, String agentId, Instant at) {
    return onConversation(conversationId, (c, active) -> OperatorTransitions.takeOver(c, active, agentId, at),
        CONVERSATION_ATTEMPTS);
  }

  @Override
  public Future<ConversationView> handBack(String conversationId, Instant at) {
    return onConversation(conversationId, (c, active) -> OperatorTransitions.handBack(c, active, at),
        CONVERSATION_ATTEMPTS);
  }

  @Override
  public Future<Optional<ConversationView>> conversation(String conversationId) {
    Tuple id = Tuple.of(conversationId);
    Future<RowSet<Row>> conversation = pool.preparedQuery(CONVERSATION).execute(id);
    Future<RowSet<Row>> active = pool.preparedQuery(ACTIVE).execute(id);
    return Future.all(conversation, active).map(done -> conversationFrom(conversation.result())
        .map(c -> new ConversationView(c, firstHandoff(active.result()))));
  }

  @Override
  public Future<MessageOutcome> addMessage(ConversationMessage m, String userId) {
    return pool.withTransaction(tx -> tx.preparedQuery(ENSURE_CONVERSATION)
        .execute(Tuple.of(m.conversationId(), userId, utc(m.createdAt())))
        .compose(ensured -> tx.preparedQuery(INSERT_MESSAGE).execute(Tuple.from(new Object[] {
            m.messageId(), m.conversationId(), m.speaker().wireName(), m.content(), m.agentId(), m.media(),
            m.deliveryStatus(), utc(m.createdAt())})))
        .compose(inserted -> inserted.size() > 0
            ? PgEventLog.append(tx, OperatorTransitions.messageCreated(m)).map(event -> m)
            : tx.preparedQuery(MESSAGE_BY_ID).execute(Tuple.of(m.conversationId(), m.messageId()))
                .map(rows -> messageFrom(rows.iterator().next())))
        .compose(stored -> tx.preparedQuery(CONVERSATION).execute(Tuple.of(m.conversationId()))
            .map(rows -> new MessageOutcome(stored, conversationFrom(rows).orElseThrow().owner(), stored == m))));
  }

  @Override
  public Future<MessagePage> messages(String conversationId, int page, int pageSize) {
    Tuple id = Tuple.of(conversationId);
    Future<RowSet<Row>> conversation = pool.preparedQuery(CONVERSATION).execute(id);
    Future<RowSet<Row>> count = pool.preparedQuery(MESSAGES_COUNT).execute(id);
    Future<RowSet<Row>> rows = pool.preparedQuery(MESSAGES_PAGE)
        .execute(Tuple.of(conversationId, pageSize, (page - 1) * pageSize));
    return Future.all(conversation, count, rows).compose(done -> {
      if (conversation.result().size() == 0) {
        return Future.failedFuture(OperatorStore.conversationNotFound(conversationId));
      }
      List<ConversationMessage> messages = new ArrayList<>();
      rows.result().forEach(row -> messages.add(messageFrom(row)));
      long total = count.result().iterator().next().getLong("total");
      return Future.succeededFuture(new MessagePage(messages, total, page, pageSize));
    });
  }

  @Override
  public Future<Queue> queue(String queue, String agentId, int limit) {
    Future<RowSet<Row>> pending = pool.preparedQuery(PENDING).execute(Tuple.of(queue, limit));
    Future<RowSet<Row>> total = pool.preparedQuery(PENDING_COUNT).execute(Tuple.of(queue));
    Future<RowSet<Row>> assigned = agentId == null
        ? Future.succeededFuture(null)
        : pool.preparedQuery(ASSIGNED_TO).execute(Tuple.of(agentId, limit));
    return Future.all(pending, total, assigned).map(done -> new Queue(
        handoffs(pending.result()),
        total.result().iterator().next().getLong("total"),
        assigned.result() == null ? List.of() : handoffs(assigned.result())));
  }

  @Override
  public Future<Agent.WithLoad> putAgent(Agent agent) {
    return pool.preparedQuery(PUT_AGENT)
        .execute(Tuple.of(agent.agentId(), agent.name(), new JsonArray(agent.queues()),
            agent.maxConcurrent(), agent.status(), utc(agent.updatedAt())))
        .compose(done -> agent(agent.agentId()))
        .map(Optional::orElseThrow);
  }

  @Override
  public Future<Optional<Agent.WithLoad>> agent(String agentId) {
    return pool.preparedQuery(AGENT_WITH_LOAD).execute(Tuple.of(agentId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(agentFrom(rows.iterator().next())));
  }

  @Override
  public Future<List<Agent.WithLoad>> agents() {
    return pool.preparedQuery(ALL_AGENTS_WITH_LOAD).execute().map(rows -> {
      List<Agent.WithLoad> agents = new ArrayList<>(rows.size());
      rows.forEach(row -> agents.add(agentFrom(row)));
      return agents;
    });
  }

  private static Agent.WithLoad agentFrom(Row row) {
    JsonArray queues = (JsonArray) row.getValue("queues");
    Agent agent = new Agent(row.getString("agent_id"), row.getString("name"),
        queues.stream().map(String::valueOf).toList(), row.getInteger("max_concurrent"), row.getString("status"),
        row.getOffsetDateTime("updated_at").toInstant());
    return new Agent.WithLoad(agent, row.getLong("load"));
  }

  private Future<Handoff> onHandoff(String handoffId, BiFunction<Handoff, Conversation, Outcome> transition,
      String resolution) {
    return pool.withTransaction(tx -> tx.preparedQuery(HANDOFF_FOR_UPDATE).execute(Tuple.of(handoffId))
        .compose(rows -> {
          Handoff current = Optional.ofNullable(firstHandoff(rows))
              .orElseThrow(() -> OperatorStore.handoffNotFound(handoffId));
          return tx.preparedQuery(CONVERSATION_FOR_UPDATE).execute(Tuple.of(current.conversationId()))
              .compose(conversation -> {
                Outcome outcome = transition.apply(current, conversationFrom(conversation).orElseThrow());
                return write(tx, outcome, current, resolution, null).map(outcome.handoff());
              });
        }));
  }

  /**
   * Locks the conversation's active handoff (if any), then the conversation. A handoff created
   * between the two locks (its creator held the conversation) shows in the re-check, and the
   * transaction starts over.
   */
  private Future<ConversationView> onConversation(String conversationId,
      BiFunction<Conversation, Handoff, Outcome> transition, int attempts) {
    Tuple id = Tuple.of(conversationId);
    return pool.withTransaction(tx -> tx.preparedQuery(ACTIVE_FOR_UPDATE).execute(id)
        .compose(activeRows -> {
          Handoff active = firstHandoff(activeRows);
          return tx.preparedQuery(CONVERSATION_FOR_UPDATE).execute(id)
              .compose(rows -> {
                Conversation conversation = conversationFrom(rows)
                    .orElseThrow(() -> OperatorStore.conversationNotFound(conversationId));
                return tx.preparedQuery(ACTIVE_ID).execute(id).compose(check -> {
                  String activeNow = check.size() == 0 ? null : check.iterator().next().getString("handoff_id");
                  if (!Objects.equals(activeNow, active == null ? null : active.id())) {
                    return Future.failedFuture(new ActiveHandoffChanged());
                  }
                  Outcome outcome = transition.apply(conversation, active);
                  Handoff activeAfter = outcome.handoff() != null && outcome.handoff().status().isActive()
                      ? outcome.handoff() : null;
                  return write(tx, outcome, active, null, null)
                      .map(written -> new ConversationView(outcome.conversation(), activeAfter));
                });
              });
        }))
        .recover(failure -> failure instanceof ActiveHandoffChanged && attempts > 1
            ? onConversation(conversationId, transition, attempts - 1)
            : Future.failedFuture(failure instanceof ActiveHandoffChanged
                ? BatonException.conflict("Conversation " + conversationId + " changed during the request; retry it",
                    new JsonObject())
                : failure));
  }

  private static Future<Void> write(SqlConnection tx, Outcome outcome, Handoff read, String resolution,
      JsonObject answer) {
    if (!outcome.changed()) {
      return Future.succeededFuture();
    }
    Future<Void> done = Future.succeededFuture();
    if (outcome.handoffChanged()) {
      Handoff h = outcome.handoff();
      done = tx.preparedQuery(UPDATE_HANDOFF)
          .execute(Tuple.from(new Object[] {h.id(), h.status().wireName(), h.assignedAgent(), resolution,
              utc(h.updatedAt()), read.version(), answer}))
          .compose(updated -> updated.rowCount() == 1
              ? Future.succeededFuture()
              // Cannot happen while the row is locked; refuse rather than write over a change.
              : Future.failedFuture(BatonException.conflict("Handoff " + h.id() + " changed during the request",
                  new JsonObject())));
    }
    if (outcome.conversationChanged()) {
      Conversation c = outcome.conversation();
      Instant at = outcome.events().getFirst().at();
      done = done.compose(v -> tx.preparedQuery(UPDATE_CONVERSATION)
          .execute(Tuple.of(c.conversationId(), c.owner().name(), c.agentId(), utc(at))).mapEmpty());
    }
    for (Event event : outcome.events()) {
      done = done.compose(v -> PgEventLog.append(tx, event).mapEmpty());
    }
    return done;
  }

  /** Internal signal: start the conversation transaction over. */
  private static final class ActiveHandoffChanged extends RuntimeException {
    ActiveHandoffChanged() {
      super(null, null, false, false);
    }
  }

  private static Handoff firstHandoff(RowSet<Row> rows) {
    return rows.size() == 0 ? null : PgHandoffStore.fromRow(rows.iterator().next());
  }

  private static List<Handoff> handoffs(RowSet<Row> rows) {
    List<Handoff> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(PgHandoffStore.fromRow(row)));
    return list;
  }

  private static Optional<Conversation> conversationFrom(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new Conversation(row.getString("conversation_id"), row.getString("user_id"),
        Owner.valueOf(row.getString("owner")), row.getString("agent_id")));
  }

  private static ConversationMessage messageFrom(Row row) {
    return new ConversationMessage(
        row.getString("message_id"),
        row.getString("conversation_id"),
        Speaker.parse(row.getString("speaker")).orElseThrow(),
        row.getString("content"),
        row.getString("agent_id"),
        (JsonObject) row.getValue("media"),
        row.getString("delivery_status"),
        row.getOffsetDateTime("created_at").toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
