package io.baton.operator;

import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.events.PgEventLog;
import io.baton.storage.GroupCommit;
import io.baton.handoff.Handoff;
import io.baton.handoff.Owner;
import io.baton.handoff.PgHandoffStore;
import io.baton.handoff.Speaker;
import io.baton.operator.OperatorTransitions.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The operator store in PostgreSQL. A transition locks the handoff row first and then the
 * conversation row (the order cancel uses too, so they cannot deadlock), decides on the locked
 * state, and writes the change and its events in the same transaction; the updates are also
 * conditional on the version read, so a change never lands on a state it did not see.
 */
public final class PgOperatorStore implements OperatorStore {

  static final String HANDOFF_FOR_UPDATE =
      "SELECT " + PgHandoffStore.COLUMNS + " FROM handoffs WHERE handoff_id = $1 AND tenant = $2 FOR UPDATE";

  static final String ACTIVE_FOR_UPDATE = "SELECT " + PgHandoffStore.COLUMNS
      + " FROM handoffs WHERE tenant = $2 AND conversation_id = $1 AND status IN ('pending', 'assigned') FOR UPDATE";

  static final String ACTIVE_ID =
      "SELECT handoff_id FROM handoffs WHERE tenant = $2 AND conversation_id = $1 AND status IN ('pending', 'assigned')";

  static final String ACTIVE = "SELECT " + PgHandoffStore.COLUMNS
      + " FROM handoffs WHERE tenant = $2 AND conversation_id = $1 AND status IN ('pending', 'assigned')";

  static final String CONVERSATION =
      "SELECT conversation_id, user_id, owner, agent_id FROM conversations WHERE tenant = $2 AND conversation_id = $1";

  static final String CONVERSATION_FOR_UPDATE = CONVERSATION + " FOR UPDATE";

  /** {@code assigned_at} records when a handoff became assigned (the source of wait estimates). */
  static final String UPDATE_HANDOFF = """
      UPDATE handoffs SET status = $2, assigned_agent = $3, resolution = COALESCE($4, resolution), updated_at = $5,
        answer = COALESCE($7, answer), version = version + 1,
        assigned_at = CASE WHEN $2 = 'assigned' AND status <> 'assigned' THEN $5 ELSE assigned_at END
      WHERE handoff_id = $1 AND version = $6""";

  static final String ANSWER = "SELECT answer FROM handoffs WHERE handoff_id = $1";

  static final String UPDATE_CONVERSATION = """
      UPDATE conversations SET owner = $2, agent_id = $3, updated_at = $4, version = version + 1
      WHERE tenant = $5 AND conversation_id = $1""";

  static final String ENSURE_CONVERSATION = """
      INSERT INTO conversations (tenant, conversation_id, user_id, owner, created_at, updated_at)
      VALUES ($4, $1, $2, 'BOT', $3, $3)
      ON CONFLICT (tenant, conversation_id) DO NOTHING""";

  static final String MESSAGE_COLUMNS =
      "message_id, conversation_id, speaker, content, agent_id, media, delivery_status, created_at";

  /** What a read returns: the stored columns and, once the channel took the message, its id there. */
  static final String READ_COLUMNS = MESSAGE_COLUMNS + ", provider_message_id";

  static final String INSERT_MESSAGE = "INSERT INTO messages (" + MESSAGE_COLUMNS + """
      , tenant) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (tenant, conversation_id, message_id) DO NOTHING
      RETURNING seq""";

  /**
   * A batch of channel messages in one statement, each input row one message, in order: its
   * conversation is created (owned by the bot) if new, the message inserted unless its id is already
   * there (also earlier in the same batch), and its {@code message.created} event with it, whose data
   * is the message as {@link ConversationMessage#toJson()} writes it, built here from the stored row
   * so the media is sent and parsed once. Answers, per input row in order, the owner as the
   * statement saw it (null when another transaction created the conversation meanwhile: read it
   * again) and whether the message is new. The parameters are arrays, one element per message:
   * message id, conversation, speaker, content, agent, media (JSON text), delivery status, created at,
   * user id, event type, created at as text (as Java writes an instant), tenant, await bot (a new
   * message so flagged is also marked in awaiting_bot: stored, not yet buffered for the bot; the
   * mark is the message's seq, answered as {@code mark}).
   */
  static final String APPEND_MESSAGES = """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[])
          WITH ORDINALITY AS i(message_id, conversation_id, speaker, content, agent_id, media, delivery_status,
            created_at, user_id, event_type, created_text, tenant, await_bot, ord)
      ), ensured AS (
        INSERT INTO conversations (tenant, conversation_id, user_id, owner, created_at, updated_at)
        SELECT DISTINCT ON (tenant, conversation_id) tenant, conversation_id, user_id, 'BOT', created_at, created_at
        FROM input ORDER BY tenant, conversation_id, ord
        ON CONFLICT (tenant, conversation_id) DO NOTHING
        RETURNING tenant, conversation_id, owner
      ), inserted AS (
        INSERT INTO messages (tenant, message_id, conversation_id, speaker, content, agent_id, media, delivery_status,
          created_at)
        SELECT tenant, message_id, conversation_id, speaker, content, agent_id, media::jsonb, delivery_status, created_at
        FROM input ORDER BY ord
        ON CONFLICT (tenant, conversation_id, message_id) DO NOTHING
        RETURNING tenant, conversation_id, message_id, seq, media
      ), created AS (
        SELECT first.ord, inserted.seq, inserted.media
        FROM inserted JOIN (SELECT DISTINCT ON (tenant, conversation_id, message_id) tenant, conversation_id, message_id, ord
                            FROM input ORDER BY tenant, conversation_id, message_id, ord) first
          ON first.tenant = inserted.tenant AND first.conversation_id = inserted.conversation_id
            AND first.message_id = inserted.message_id
      ), event AS (
        INSERT INTO events (type, conversation_id, agent_id, data, at, tenant)
        SELECT i.event_type, i.conversation_id, i.agent_id,
          jsonb_build_object('message', jsonb_build_object('message_id', i.message_id, 'conversation_id', i.conversation_id,
            'message_owner', i.speaker, 'content', i.content, 'agent_id', i.agent_id, 'media', created.media,
            'delivery_status', i.delivery_status, 'provider_message_id', NULL, 'created_at', i.created_text)),
          i.created_at, i.tenant
        FROM created JOIN input i ON i.ord = created.ord
        ORDER BY created.seq
      ), awaiting AS (
        INSERT INTO awaiting_bot (seq, stored_at)
        SELECT created.seq, i.created_at
        FROM created JOIN input i ON i.ord = created.ord
        WHERE i.await_bot
      )
      SELECT COALESCE(ensured.owner, (SELECT c.owner FROM conversations c
                                      WHERE c.tenant = i.tenant AND c.conversation_id = i.conversation_id)) AS owner,
        created.ord IS NOT NULL AS created, CASE WHEN i.await_bot THEN created.seq END AS mark
      FROM input i
        LEFT JOIN ensured ON ensured.tenant = i.tenant AND ensured.conversation_id = i.conversation_id
        LEFT JOIN created ON created.ord = i.ord
      ORDER BY i.ord""";

  /** A batch's messages as APPEND_MESSAGES's thirteen arrays. */
  private static Tuple appendArrays(List<Tuple> messages) {
    Object[][] columns = {new String[messages.size()], new String[messages.size()], new String[messages.size()],
        new String[messages.size()], new String[messages.size()], new String[messages.size()],
        new String[messages.size()], new OffsetDateTime[messages.size()], new String[messages.size()],
        new String[messages.size()], new String[messages.size()], new String[messages.size()],
        new Boolean[messages.size()]};
    for (int row = 0; row < messages.size(); row++) {
      for (int column = 0; column < columns.length; column++) {
        columns[column][row] = messages.get(row).getValue(column);
      }
    }
    return Tuple.from(columns);
  }

  /**
   * Claims marks stored at or before $1 whose lease (if any) has ended at $2, oldest first, at most
   * $4, leasing them until $3. Rows another claimer holds are skipped, and a row leased meanwhile no
   * longer qualifies when its lock is got, so a mark goes to one claimer per lease. Oldest first is
   * seq order (a conversation's in timeline order too), walked on the primary key: the table holds
   * only marks not yet cleared, so no index on stored_at is worth its upkeep. Answers each with its
   * message (nulls if the message is gone).
   */
  static final String CLAIM_AWAITING = """
      WITH due AS (
        SELECT seq FROM awaiting_bot
        WHERE stored_at <= $1 AND (lease_until IS NULL OR lease_until <= $2)
        ORDER BY seq LIMIT $4
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE awaiting_bot a SET lease_until = $3 FROM due WHERE a.seq = due.seq
        RETURNING a.seq
      )
      SELECT c.seq AS mark, m.tenant, m.conversation_id, m.message_id, m.media
      FROM claimed c LEFT JOIN messages m ON m.seq = c.seq
      ORDER BY c.seq""";

  static final String MESSAGE_BY_ID =
      "SELECT " + READ_COLUMNS + " FROM messages WHERE tenant = $3 AND conversation_id = $1 AND message_id = $2";

  static final String LAST_CUSTOMER_MESSAGE = "SELECT " + READ_COLUMNS
      + " FROM messages WHERE tenant = $2 AND conversation_id = $1 AND speaker = 'user' ORDER BY seq DESC LIMIT 1";

  /**
   * The channel took a message Baton sent: its id there is recorded and the status moves to sent
   * (unless a status webhook already moved it further). Answers the status before.
   */
  static final String RECORD_SENT = "UPDATE messages m SET provider_message_id = $3, delivery_status = "
      + "CASE WHEN " + rank("old.from_status") + " < 1 THEN 'sent' ELSE m.delivery_status END "
      + "FROM (SELECT seq, delivery_status AS from_status FROM messages "
      + "      WHERE tenant = $4 AND conversation_id = $1 AND message_id = $2 FOR UPDATE) old "
      + "WHERE m.seq = old.seq RETURNING old.from_status, m." + READ_COLUMNS.replace(", ", ", m.");

  static final String MESSAGES_PAGE =
      "SELECT " + READ_COLUMNS + " FROM messages WHERE tenant = $4 AND conversation_id = $1 ORDER BY seq LIMIT $2 OFFSET $3";

  /**
   * Moves a sent message's status forward only: the CASE ranks queued < sent < delivered < read < failed.
   * Status webhooks name the message by the provider's id, recorded when the channel took it. No row:
   * no such message; a row of nulls: the message is there but the status would not move forward.
   */
  static final String UPDATE_DELIVERY_STATUS = "WITH old AS (SELECT seq, delivery_status AS from_status FROM messages "
      + "      WHERE tenant = $4 AND conversation_id = ANY($1) AND (message_id = $2 OR provider_message_id = $2) AND speaker <> 'user' "
      + "      ORDER BY array_position($1, conversation_id) LIMIT 1 FOR UPDATE), "
      + "moved AS (UPDATE messages m SET delivery_status = $3 FROM old "
      + "      WHERE m.seq = old.seq AND " + rank("old.from_status") + " < " + rank("$3::text")
      + "      RETURNING old.from_status, " + "m.message_id, m.conversation_id, m.speaker, m.content, m.agent_id, m.media, "
      + "m.delivery_status, m.created_at, m.provider_message_id) "
      + "SELECT moved.* FROM old LEFT JOIN moved ON true";

  /** The advisory lock space (first key) of {@link #LOCK_PROVIDER_ID}. */
  static final int PROVIDER_ID_LOCKS = 0x0BA7_0001;

  /**
   * Serialises, per provider id, a status kept for a message not found yet with the recording of the
   * provider's answer that names the message by that id: whichever comes second sees the other.
   */
  static final String LOCK_PROVIDER_ID =
      "SELECT 1 AS locked FROM pg_advisory_xact_lock(" + PROVIDER_ID_LOCKS + ", hashtext($1::text || '/' || $2::text))";

  /** A status for a message not found (yet): kept, or raising the one kept; never lowering it. */
  static final String KEEP_EARLY_STATUS = "INSERT INTO early_delivery_statuses "
      + "(tenant, provider_message_id, conversation_ids, status, kept_at) VALUES ($1, $2, $3, $4, $5) "
      + "ON CONFLICT (tenant, provider_message_id) DO UPDATE SET status = EXCLUDED.status, kept_at = EXCLUDED.kept_at "
      + "WHERE " + rank("early_delivery_statuses.status") + " < " + rank("EXCLUDED.status");

  /** The provider's answer names the message: the status kept for it, if any, is taken. */
  static final String TAKE_EARLY_STATUS = "DELETE FROM early_delivery_statuses "
      + "WHERE tenant = $1 AND provider_message_id = $2 AND $3 = ANY(conversation_ids) RETURNING status";

  static final String PURGE_EARLY_STATUSES = "DELETE FROM early_delivery_statuses WHERE kept_at < $1";

  private static String rank(String column) {
    return "(CASE " + column + " WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3"
        + " WHEN 'failed' THEN 4 ELSE -1 END)";
  }

  /** A read watermark: sent and delivered messages of the first existing conversation, up to then. */
  static final String READ_UP_TO = "UPDATE messages m SET delivery_status = 'read' "
      + "FROM (SELECT seq, delivery_status AS from_status FROM messages "
      + "      WHERE tenant = $3 AND conversation_id = (SELECT conversation_id FROM conversations "
      + "          WHERE tenant = $3 AND conversation_id = ANY($1) ORDER BY array_position($1, conversation_id) LIMIT 1) "
      + "        AND speaker <> 'user' AND delivery_status IN ('sent', 'delivered') AND created_at <= $2 "
      + "      ORDER BY seq FOR UPDATE) old "
      + "WHERE m.seq = old.seq RETURNING old.from_status, m." + READ_COLUMNS.replace(", ", ", m.");

  static final String MESSAGES_COUNT = "SELECT count(*) AS total FROM messages WHERE tenant = $2 AND conversation_id = $1";

  static final String PENDING = "SELECT " + PgHandoffStore.COLUMNS + """
       FROM handoffs WHERE tenant = $3 AND status = 'pending' AND ($1::text IS NULL OR queue = $1)
      ORDER BY priority DESC, created_at, handoff_id LIMIT $2""";

  static final String PENDING_COUNT =
      "SELECT count(*) AS total FROM handoffs WHERE tenant = $2 AND status = 'pending' AND ($1::text IS NULL OR queue = $1)";

  /** Served by handoffs_pending_by_queue: only pending rows are read. */
  static final String QUEUE_DEPTHS = """
      SELECT coalesce(queue, '') AS queue, count(*) AS pending, min(created_at) AS oldest
        FROM handoffs WHERE status = 'pending' GROUP BY coalesce(queue, '') ORDER BY 1""";

  static final String ASSIGNED_TO = "SELECT " + PgHandoffStore.COLUMNS + """
       FROM handoffs WHERE tenant = $3 AND status = 'assigned' AND assigned_agent = $1
      ORDER BY priority DESC, created_at, handoff_id LIMIT $2""";

  static final String PUT_AGENT = """
      INSERT INTO agents AS a (tenant, agent_id, name, queues, max_concurrent, status, created_at, updated_at)
      VALUES ($7, $1, $2, $3, $4, $5, $6, $6)
      ON CONFLICT (tenant, agent_id) DO UPDATE
        SET name = EXCLUDED.name, queues = EXCLUDED.queues, max_concurrent = EXCLUDED.max_concurrent,
            status = EXCLUDED.status, updated_at = EXCLUDED.updated_at""";

  static final String AGENTS_WITH_LOAD = """
      SELECT a.agent_id, a.name, a.queues, a.max_concurrent, a.status, a.updated_at,
        (SELECT count(*) FROM handoffs h
          WHERE h.tenant = a.tenant AND h.status = 'assigned' AND h.assigned_agent = a.agent_id) AS load
      FROM agents a""";

  static final String AGENT_WITH_LOAD = AGENTS_WITH_LOAD + " WHERE a.agent_id = $1 AND a.tenant = $2";

  static final String ALL_AGENTS_WITH_LOAD = AGENTS_WITH_LOAD + " WHERE a.tenant = $1 ORDER BY a.agent_id";

  /** Every tenant's queues that online agents serve: the sweep assigns in each tenant on its own. */
  static final String SERVED_QUEUES = "SELECT tenant, queues FROM agents WHERE status = 'online'";

  /**
   * Auto-assignment's first lock: every online agent who serves one of the queues, in id order (so
   * two assigners never wait on each other in a cycle). Assigners of overlapping queues take turns
   * here; their loads are then counted by a later statement, which sees every assignment committed
   * before the lock was granted, so no agent goes above capacity.
   */
  static final String LOCK_AGENTS_SERVING = """
      SELECT agent_id, queues, max_concurrent FROM agents
      WHERE tenant = $2 AND status = 'online' AND queues ?| $1::text[]
      ORDER BY agent_id FOR UPDATE""";

  /** Without a lock: most creates meet no agent with their queue, and need no transaction to learn it. */
  static final String ANY_AGENT_SERVING = """
      SELECT EXISTS (SELECT 1 FROM agents WHERE tenant = $2 AND status = 'online' AND queues ?| $1::text[]) AS serving""";

  static final String ASSIGNED_COUNTS = """
      SELECT assigned_agent, count(*) AS load FROM handoffs
      WHERE tenant = $2 AND status = 'assigned' AND assigned_agent = ANY($1::text[])
      GROUP BY assigned_agent""";

  /** The next handoff to assign; one another transaction holds is skipped, never waited for or taken twice. */
  static final String NEXT_PENDING = "SELECT " + PgHandoffStore.COLUMNS + """
       FROM handoffs h
      WHERE h.tenant = $2 AND h.status = 'pending' AND h.queue = ANY($1::text[])
        AND EXISTS (SELECT 1 FROM conversations c
                    WHERE c.tenant = h.tenant AND c.conversation_id = h.conversation_id AND c.owner = 'QUEUED')
      ORDER BY h.priority DESC, h.created_at, h.handoff_id
      LIMIT 1 FOR UPDATE OF h SKIP LOCKED""";

  /**
   * The handoffs ahead, counted as two index ranges (higher priority; same priority and older), each
   * stopping at the limit: the cost is bounded however deep the queue. The ORDER BY is the pending
   * indexes' order: without it, LIMIT makes a sequential scan look cheap to the planner, and a range
   * with nothing in it (no higher priority) then reads the whole table.
   */
  static final String STANDING = """
      SELECT h.queue, h.created_at, 1 + LEAST($2, (SELECT count(*) FROM (
          (SELECT 1 FROM handoffs o
            WHERE o.tenant = h.tenant AND o.status = 'pending' AND o.queue = h.queue AND o.priority > h.priority
            ORDER BY o.priority DESC, o.created_at, o.handoff_id LIMIT $2)
          UNION ALL
          (SELECT 1 FROM handoffs o
            WHERE o.tenant = h.tenant AND o.status = 'pending' AND o.queue = h.queue AND o.priority = h.priority
              AND (o.created_at, o.handoff_id) < (h.created_at, h.handoff_id)
            ORDER BY o.priority DESC, o.created_at, o.handoff_id LIMIT $2)) ahead)) AS position
      FROM handoffs h WHERE h.handoff_id = $1 AND h.tenant = $3 AND h.status = 'pending'""";

  static final String MEDIAN_TIME_TO_ASSIGN = """
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median FROM (
        SELECT EXTRACT(EPOCH FROM assigned_at - created_at)::float8 AS seconds FROM handoffs
        WHERE tenant = $3 AND queue = $1 AND assigned_at IS NOT NULL
        ORDER BY assigned_at DESC LIMIT $2) latest""";

  /**
   * Pending handoffs that waited their queue's max wait ($1 queues with $2 waits in seconds, $3
   * for the others; 0 never) in their current place. Rows another sweeper holds are skipped.
   */
  static final String DUE_FOR_ESCALATION = "SELECT " + PgHandoffStore.COLUMNS + """
      , COALESCE(queued_at, created_at) AS waiting_since, escalations, tenant
      FROM handoffs
        LEFT JOIN unnest($1::text[], $2::float8[]) AS waits(wait_queue, wait_seconds) ON waits.wait_queue = queue
      WHERE status = 'pending' AND COALESCE(wait_seconds, $3::float8) > 0
        AND COALESCE(queued_at, created_at)
          <= $4::timestamptz - make_interval(secs => COALESCE(wait_seconds, $3::float8))
      ORDER BY priority DESC, created_at, handoff_id
      LIMIT $5 FOR UPDATE OF handoffs SKIP LOCKED""";

  static final String ESCALATE = """
      UPDATE handoffs SET priority = $2, queue = $3, queued_at = $4, updated_at = $4, escalations = escalations + 1,
        version = version + 1
      WHERE handoff_id = $1 AND version = $5""";

  /** A handoff that cannot escalate further waits again before it is looked at. */
  static final String WAIT_AGAIN = "UPDATE handoffs SET queued_at = $2 WHERE handoff_id = $1";

  /** A conversation-keyed transition retries when a handoff appears between its two locks. */
  private static final int CONVERSATION_ATTEMPTS = 3;

  private final Pool pool;
  private final GroupCommit appends;
  private final AwaitingRemovals removals;

  /** {@code maxBatchesRunning}: message-append transactions that may run at once (group commit). */
  public PgOperatorStore(Vertx vertx, Pool pool, int maxBatchesRunning) {
    this.pool = pool;
    this.appends = new GroupCommit(pool, GroupCommit.asOneStatement(APPEND_MESSAGES, PgOperatorStore::appendArrays),
        maxBatchesRunning);
    this.removals = new AwaitingRemovals(vertx, pool);
  }

  @Override
  public Future<Handoff> assign(String tenant, String handoffId, String agentId, Instant at) {
    return onHandoff(tenant, handoffId, (h, c) -> OperatorTransitions.assign(h, c, agentId, at), null);
  }

  @Override
  public Future<Handoff> release(String tenant, String handoffId, Instant at) {
    return onHandoff(tenant, handoffId, (h, c) -> OperatorTransitions.release(h, c, at), null);
  }

  @Override
  public Future<Handoff> resolve(String tenant, String handoffId, String resolution, Instant at) {
    return onHandoff(tenant, handoffId, (h, c) -> OperatorTransitions.resolve(h, c, resolution, at), resolution);
  }

  @Override
  public Future<Answered> answer(String tenant, String handoffId, JsonObject answer, Instant at) {
    return pool.withTransaction(tx -> tx.preparedQuery(HANDOFF_FOR_UPDATE).execute(Tuple.of(handoffId, tenant))
        .compose(rows -> {
          Handoff current = Optional.ofNullable(firstHandoff(rows))
              .orElseThrow(() -> OperatorStore.handoffNotFound(handoffId));
          Future<RowSet<Row>> previous = tx.preparedQuery(ANSWER).execute(Tuple.of(handoffId));
          return previous.compose(answered -> tx.preparedQuery(CONVERSATION_FOR_UPDATE)
              .execute(Tuple.of(current.conversationId(), tenant))
              .compose(conversation -> {
                JsonObject before = (JsonObject) answered.iterator().next().getValue("answer");
                Outcome outcome = OperatorTransitions.answer(current, conversationFrom(conversation).orElseThrow(),
                    before, answer, at);
                return write(tx, tenant, outcome, current, null, answer)
                    .map(written -> new Answered(outcome.handoff(), outcome.changed() ? answer : before));
              }));
        }));
  }

  @Override
  public Future<ConversationView> assignActive(String tenant, String conversationId, String agentId, Instant at) {
    return onConversation(tenant, conversationId, (c, active) -> {
      if (active == null) {
        throw OperatorStore.noActiveHandoff(c);
      }
      return OperatorTransitions.assign(active, c, agentId, at);
    }, CONVERSATION_ATTEMPTS);
  }

  @Override
  public Future<ConversationView> takeOver(String tenant, String conversationId, String agentId, Instant at) {
    return onConversation(tenant, conversationId, (c, active) -> OperatorTransitions.takeOver(c, active, agentId, at),
        CONVERSATION_ATTEMPTS);
  }

  @Override
  public Future<ConversationView> handBack(String tenant, String conversationId, Instant at) {
    return onConversation(tenant, conversationId, (c, active) -> OperatorTransitions.handBack(c, active, at),
        CONVERSATION_ATTEMPTS);
  }

  @Override
  public Future<Optional<ConversationView>> conversation(String tenant, String conversationId) {
    Tuple id = Tuple.of(conversationId, tenant);
    Future<RowSet<Row>> conversation = pool.preparedQuery(CONVERSATION).execute(id);
    Future<RowSet<Row>> active = pool.preparedQuery(ACTIVE).execute(id);
    return Future.all(conversation, active).map(done -> conversationFrom(conversation.result())
        .map(c -> new ConversationView(c, firstHandoff(active.result()))));
  }

  static final String OWNERS =
      "SELECT conversation_id, owner FROM conversations WHERE tenant = $1 AND conversation_id = ANY($2::text[])";

  @Override
  public Future<Map<String, Owner>> owners(String tenant, List<String> conversationIds) {
    Tuple ids = Tuple.tuple().addString(tenant).addArrayOfString(conversationIds.toArray(String[]::new));
    return pool.preparedQuery(OWNERS).execute(ids).map(rows -> {
      Map<String, Owner> owners = new HashMap<>();
      rows.forEach(row -> owners.put(row.getString("conversation_id"), Owner.valueOf(row.getString("owner"))));
      return owners;
    });
  }

  @Override
  public Future<MessageOutcome> addMessage(String tenant, ConversationMessage m, String userId) {
    return pool.withTransaction(tx -> addMessage(tx, tenant, m, userId));
  }

  /**
   * One transaction for them all (a webhook's burst of one customer's messages), group-committed
   * with other conversations' bursts: under load many webhooks share one commit.
   */
  @Override
  public Future<List<MessageOutcome>> addMessages(String tenant, List<ConversationMessage> messages, String userId,
      Set<String> awaitBot) {
    if (messages.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Tuple> statements = messages.stream().map(m -> Tuple.from(new Object[] {m.messageId(), m.conversationId(),
        m.speaker().wireName(), m.content(), m.agentId(), m.media() == null ? null : m.media().encode(),
        m.deliveryStatus(), utc(m.createdAt()), userId, EventTypes.MESSAGE_CREATED, m.createdAt().toString(), tenant,
        awaitBot.contains(m.messageId())}))
        .toList();
    // Locks are taken in (tenant, conversation) order, the order of the rows' primary key.
    return appends.submit(tenant + '\u0000' + messages.getFirst().conversationId(), statements).compose(results -> {
      List<Future<MessageOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        outcomes.add(appended(tenant, messages.get(i), results.get(i)));
      }
      return Future.all(outcomes).map(done -> outcomes.stream().map(Future::result).toList());
    });
  }

  /** Gathered with other webhooks' removals for a moment, then one statement for them all. */
  @Override
  public Future<Void> clearAwaiting(List<Long> marks) {
    return marks.isEmpty() ? Future.succeededFuture() : removals.remove(marks);
  }

  @Override
  public Future<List<Awaiting>> claimAwaiting(Instant storedBefore, Instant now, Duration lease, int limit) {
    return pool.preparedQuery(CLAIM_AWAITING)
        .execute(Tuple.of(utc(storedBefore), utc(now), utc(now.plus(lease)), limit))
        .map(rows -> {
          List<Awaiting> claimed = new ArrayList<>();
          for (Row row : rows) {
            Object media = row.getValue("media");
            claimed.add(new Awaiting(row.getLong("mark"), row.getString("tenant"), row.getString("conversation_id"),
                row.getString("message_id"), media instanceof JsonObject json ? json : null));
          }
          return claimed;
        });
  }

  /** What an APPEND_MESSAGES row says; a repeated message is answered as first stored. */
  private Future<MessageOutcome> appended(String tenant, ConversationMessage m, Row row) {
    Future<ConversationMessage> stored = row.getBoolean("created") ? Future.succeededFuture(m)
        : pool.preparedQuery(MESSAGE_BY_ID).execute(Tuple.of(m.conversationId(), m.messageId(), tenant))
            .map(rows -> messageFrom(rows.iterator().next()));
    String owner = row.getString("owner");
    Future<Owner> ownedBy = owner != null ? Future.succeededFuture(Owner.valueOf(owner))
        : pool.preparedQuery(CONVERSATION).execute(Tuple.of(m.conversationId(), tenant))
            .map(rows -> conversationFrom(rows).orElseThrow().owner());
    Long mark = row.getLong("mark");
    return Future.all(stored, ownedBy).map(done -> new MessageOutcome(stored.result(), ownedBy.result(),
        stored.result() == m, mark == null ? MessageOutcome.NOT_MARKED : mark));
  }

  private Future<MessageOutcome> addMessage(SqlConnection tx, String tenant, ConversationMessage m, String userId) {
    return tx.preparedQuery(ENSURE_CONVERSATION)
        .execute(Tuple.of(m.conversationId(), userId, utc(m.createdAt()), tenant))
        .compose(ensured -> tx.preparedQuery(INSERT_MESSAGE).execute(Tuple.from(new Object[] {
            m.messageId(), m.conversationId(), m.speaker().wireName(), m.content(), m.agentId(), m.media(),
            m.deliveryStatus(), utc(m.createdAt()), tenant})))
        .compose(inserted -> inserted.size() > 0
            ? PgEventLog.append(tx, OperatorTransitions.messageCreated(m).inTenant(tenant)).map(event -> m)
            : tx.preparedQuery(MESSAGE_BY_ID).execute(Tuple.of(m.conversationId(), m.messageId(), tenant))
                .map(rows -> messageFrom(rows.iterator().next())))
        .compose(stored -> tx.preparedQuery(CONVERSATION).execute(Tuple.of(m.conversationId(), tenant))
            .map(rows -> new MessageOutcome(stored, conversationFrom(rows).orElseThrow().owner(), stored == m)));
  }

  @Override
  public Future<Optional<ConversationMessage>> updateDeliveryStatus(String tenant, List<String> conversationIds,
      String messageId, String status, Instant at) {
    return pool.withTransaction(tx -> move(tx, tenant, conversationIds, messageId, status, at).compose(moved -> moved.found()
        ? Future.succeededFuture(moved.message())
        : keepEarly(tx, tenant, conversationIds, messageId, status, at)));
  }

  /**
   * No message has the id yet: the provider's answer to the send may not be recorded yet. Under the
   * id's lock the message is looked for again (the answer may have been recorded meanwhile), and else
   * the status is kept for {@link #recordSent} to apply.
   */
  private static Future<Optional<ConversationMessage>> keepEarly(SqlConnection tx, String tenant,
      List<String> conversationIds, String providerMessageId, String status, Instant at) {
    if (ConversationMessage.statusRank(status) < ConversationMessage.statusRank("sent")) {
      return Future.succeededFuture(Optional.empty());
    }
    return tx.preparedQuery(LOCK_PROVIDER_ID).execute(Tuple.of(tenant, providerMessageId))
        .compose(locked -> move(tx, tenant, conversationIds, providerMessageId, status, at))
        .compose(moved -> moved.found() ? Future.succeededFuture(moved.message())
            : tx.preparedQuery(KEEP_EARLY_STATUS).execute(Tuple.of(tenant, providerMessageId,
                    conversationIds.toArray(new String[0]), status, utc(at)))
                .map(kept -> Optional.<ConversationMessage>empty()));
  }

  @Override
  public Future<Integer> purgeEarlyStatuses(Instant keptBefore) {
    return pool.preparedQuery(PURGE_EARLY_STATUSES).execute(Tuple.of(utc(keptBefore))).map(rows -> rows.rowCount());
  }

  @Override
  public Future<Optional<ConversationMessage>> message(String tenant, String conversationId, String messageId) {
    return pool.preparedQuery(MESSAGE_BY_ID).execute(Tuple.of(conversationId, messageId, tenant))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(messageFrom(rows.iterator().next())));
  }

  @Override
  public Future<Optional<ConversationMessage>> lastCustomerMessage(String tenant, String conversationId) {
    return pool.preparedQuery(LAST_CUSTOMER_MESSAGE).execute(Tuple.of(conversationId, tenant))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(messageFrom(rows.iterator().next())));
  }

  @Override
  public Future<Optional<ConversationMessage>> recordSent(String tenant, String conversationId, String messageId,
      String providerMessageId, Instant at) {
    return pool.withTransaction(tx -> recordSent(tx, tenant, conversationId, messageId, providerMessageId, at));
  }

  /**
   * {@link #recordSent} within a transaction of the caller's (the outbound store's). A status that
   * came for the provider's id before this answer was recorded is applied now, with its event, and
   * no longer kept.
   */
  public static Future<Optional<ConversationMessage>> recordSent(SqlConnection tx, String tenant,
      String conversationId, String messageId, String providerMessageId, Instant at) {
    return tx.preparedQuery(RECORD_SENT).execute(Tuple.of(conversationId, messageId, providerMessageId, tenant))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<ConversationMessage>empty());
          }
          Row row = rows.iterator().next();
          ConversationMessage sent = messageFrom(row);
          String from = row.getString("from_status");
          Future<?> event = java.util.Objects.equals(from, sent.deliveryStatus()) ? Future.succeededFuture()
              : PgEventLog.append(tx, OperatorTransitions.messageStatusUpdated(sent, from, at).inTenant(tenant));
          return event.compose(done -> applyEarly(tx, tenant, sent, providerMessageId, at));
        });
  }

  /** The status kept for the provider's id in the message's conversation, if any, applied and removed. */
  private static Future<Optional<ConversationMessage>> applyEarly(SqlConnection tx, String tenant,
      ConversationMessage sent, String providerMessageId, Instant at) {
    return tx.preparedQuery(LOCK_PROVIDER_ID).execute(Tuple.of(tenant, providerMessageId))
        .compose(locked -> tx.preparedQuery(TAKE_EARLY_STATUS)
            .execute(Tuple.of(tenant, providerMessageId, sent.conversationId())))
        .compose(kept -> kept.size() == 0 ? Future.succeededFuture(Optional.of(sent))
            : move(tx, tenant, List.of(sent.conversationId()), sent.messageId(),
                kept.iterator().next().getString("status"), at)
                .map(moved -> moved.message().or(() -> Optional.of(sent))));
  }

  @Override
  public Future<Integer> readUpTo(String tenant, List<String> conversationIds, Instant upTo, Instant at) {
    return pool.withTransaction(tx -> tx.preparedQuery(READ_UP_TO)
        .execute(Tuple.of(conversationIds.toArray(new String[0]), utc(upTo), tenant))
        .compose(rows -> {
          Future<Void> events = Future.succeededFuture();
          for (Row row : rows) {
            ConversationMessage read = messageFrom(row);
            String from = row.getString("from_status");
            events = events.compose(previous -> PgEventLog.append(tx,
                OperatorTransitions.messageStatusUpdated(read, from, at).inTenant(tenant)).mapEmpty());
          }
          return events.map(done -> rows.rowCount());
        }));
  }

  /** {@link #updateDeliveryStatus} for one conversation, within a transaction of the caller's. */
  public static Future<Optional<ConversationMessage>> updateDeliveryStatus(SqlConnection tx, String tenant,
      String conversationId, String messageId, String status, Instant at) {
    return updateDeliveryStatus(tx, tenant, List.of(conversationId), messageId, status, at);
  }

  /** Whether the message was found, and, when its status moved, the message as it is now. */
  private record Moved(boolean found, Optional<ConversationMessage> message) {
  }

  /** The message is looked for in each of {@code conversationIds}; its event is written in {@code tx}. */
  private static Future<Optional<ConversationMessage>> updateDeliveryStatus(SqlConnection tx, String tenant,
      List<String> conversationIds, String messageId, String status, Instant at) {
    return move(tx, tenant, conversationIds, messageId, status, at).map(Moved::message);
  }

  private static Future<Moved> move(SqlConnection tx, String tenant, List<String> conversationIds, String messageId,
      String status, Instant at) {
    return tx.preparedQuery(UPDATE_DELIVERY_STATUS)
        .execute(Tuple.of(conversationIds.toArray(new String[0]), messageId, status, tenant))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(new Moved(false, Optional.empty()));
          }
          Row row = rows.iterator().next();
          if (row.getString("message_id") == null) {
            return Future.succeededFuture(new Moved(true, Optional.empty()));
          }
          ConversationMessage updated = messageFrom(row);
          return PgEventLog.append(tx, OperatorTransitions.messageStatusUpdated(updated, row.getString("from_status"), at)
                  .inTenant(tenant))
              .map(event -> new Moved(true, Optional.of(updated)));
        });
  }

  @Override
  public Future<MessagePage> messages(String tenant, String conversationId, int page, int pageSize) {
    Tuple id = Tuple.of(conversationId, tenant);
    Future<RowSet<Row>> conversation = pool.preparedQuery(CONVERSATION).execute(id);
    Future<RowSet<Row>> count = pool.preparedQuery(MESSAGES_COUNT).execute(id);
    Future<RowSet<Row>> rows = pool.preparedQuery(MESSAGES_PAGE)
        .execute(Tuple.of(conversationId, pageSize, MessagePage.offset(page, pageSize), tenant));
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
  public Future<Queue> queue(String tenant, String queue, String agentId, int limit) {
    Future<RowSet<Row>> pending = pool.preparedQuery(PENDING).execute(Tuple.of(queue, limit, tenant));
    Future<RowSet<Row>> total = pool.preparedQuery(PENDING_COUNT).execute(Tuple.of(queue, tenant));
    Future<RowSet<Row>> assigned = agentId == null
        ? Future.succeededFuture(null)
        : pool.preparedQuery(ASSIGNED_TO).execute(Tuple.of(agentId, limit, tenant));
    return Future.all(pending, total, assigned).map(done -> new Queue(
        handoffs(pending.result()),
        total.result().iterator().next().getLong("total"),
        assigned.result() == null ? List.of() : handoffs(assigned.result())));
  }

  @Override
  public Future<List<QueueDepth>> queueDepths() {
    return pool.query(QUEUE_DEPTHS).execute().map(rows -> {
      List<QueueDepth> depths = new ArrayList<>();
      rows.forEach(row -> depths.add(new QueueDepth(row.getString("queue"), row.getLong("pending"),
          row.getOffsetDateTime("oldest").toInstant())));
      return depths;
    });
  }

  @Override
  public Future<Optional<Handoff>> assignNext(String tenant, List<String> queues, Instant at) {
    if (queues.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery(ANY_AGENT_SERVING).execute(texts(queues).addString(tenant)).compose(any ->
        any.iterator().next().getBoolean("serving")
            ? claimNext(tenant, queues, at)
            : Future.<Optional<Handoff>>succeededFuture(Optional.empty()));
  }

  private Future<Optional<Handoff>> claimNext(String tenant, List<String> queues, Instant at) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_AGENTS_SERVING).execute(texts(queues).addString(tenant))
        .compose(agentRows -> {
          if (agentRows.size() == 0) {
            return Future.succeededFuture(Optional.<Handoff>empty());
          }
          List<String> ids = new ArrayList<>();
          agentRows.forEach(row -> ids.add(row.getString("agent_id")));
          return tx.preparedQuery(ASSIGNED_COUNTS).execute(texts(ids).addString(tenant)).compose(counts -> {
            Map<String, Long> loads = new HashMap<>();
            counts.forEach(row -> loads.put(row.getString("assigned_agent"), row.getLong("load")));
            List<AgentLoad> agentLoads = new ArrayList<>();
            agentRows.forEach(row -> agentLoads.add(new AgentLoad(row.getString("agent_id"),
                ((JsonArray) row.getValue("queues")).stream().map(String::valueOf).toList(),
                row.getInteger("max_concurrent"), loads.getOrDefault(row.getString("agent_id"), 0L))));
            Set<String> servable = AgentLoad.servable(agentLoads, queues);
            if (servable.isEmpty()) {
              return Future.succeededFuture(Optional.<Handoff>empty());
            }
            return tx.preparedQuery(NEXT_PENDING).execute(texts(servable).addString(tenant)).compose(rows -> {
              Handoff next = firstHandoff(rows);
              if (next == null) {
                return Future.succeededFuture(Optional.<Handoff>empty());
              }
              String agentId = AgentLoad.leastLoaded(agentLoads, next.queue()).orElseThrow().agentId();
              return tx.preparedQuery(CONVERSATION_FOR_UPDATE).execute(Tuple.of(next.conversationId(), tenant))
                  .compose(conversation -> {
                    Outcome outcome = OperatorTransitions.autoAssign(next,
                        conversationFrom(conversation).orElseThrow(), agentId, at);
                    return write(tx, tenant, outcome, next, null, null).map(Optional.of(outcome.handoff()));
                  });
            });
          });
        }));
  }

  private static Tuple texts(Collection<String> values) {
    return Tuple.tuple().addArrayOfString(values.toArray(String[]::new));
  }

  @Override
  public Future<Optional<Standing>> standing(String tenant, String handoffId) {
    return pool.preparedQuery(STANDING).execute(Tuple.of(handoffId, POSITION_COUNT_LIMIT, tenant)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Standing(row.getLong("position"), row.getOffsetDateTime("created_at").toInstant(),
          row.getString("queue")));
    });
  }

  @Override
  public Future<Optional<Duration>> medianTimeToAssign(String tenant, String queue, int history) {
    return pool.preparedQuery(MEDIAN_TIME_TO_ASSIGN).execute(Tuple.of(queue, history, tenant)).map(rows -> {
      Double seconds = rows.iterator().next().getDouble("median");
      return seconds == null ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
    });
  }

  @Override
  public Future<List<Escalated>> escalateDue(EscalationPolicy policy, Instant now, int limit) {
    List<String> queues = new ArrayList<>(policy.queues().keySet());
    Double[] waits = queues.stream().map(q -> policy.maxWait(q).toMillis() / 1000.0).toArray(Double[]::new);
    Tuple params = Tuple.tuple()
        .addArrayOfString(queues.toArray(String[]::new))
        .addArrayOfDouble(waits)
        .addDouble(policy.defaults().maxWait().toMillis() / 1000.0)
        .addOffsetDateTime(utc(now))
        .addInteger(limit);
    return pool.withTransaction(tx -> tx.preparedQuery(DUE_FOR_ESCALATION).execute(params).compose(rows -> {
      List<Escalated> escalated = new ArrayList<>();
      Future<Void> done = Future.succeededFuture();
      for (Row row : rows) {
        Handoff h = PgHandoffStore.fromRow(row);
        String tenant = row.getString("tenant");
        Instant since = row.getOffsetDateTime("waiting_since").toInstant();
        int number = row.getInteger("escalations") + 1;
        Optional<EscalationPolicy.Step> step = policy.next(h);
        if (step.isEmpty()) {
          done = done.compose(v -> tx.preparedQuery(WAIT_AGAIN).execute(Tuple.of(h.id(), utc(now))).mapEmpty());
          continue;
        }
        OperatorTransitions.Escalation escalation = OperatorTransitions.escalate(h, step.get(), since, number, now);
        Handoff next = escalation.handoff();
        done = done
            .compose(v -> tx.preparedQuery(ESCALATE).execute(Tuple.of(h.id(), (short) next.priority().ordinal(),
                next.queue(), utc(now), h.version())))
            .compose(updated -> PgEventLog.append(tx, escalation.event().inTenant(tenant)))
            .map(event -> {
              escalated.add(new Escalated(next, h.priority(), h.queue(), number));
              return null;
            });
      }
      return done.map(v -> escalated);
    }));
  }

  @Override
  public Future<Agent.WithLoad> putAgent(String tenant, Agent agent) {
    return pool.preparedQuery(PUT_AGENT)
        .execute(Tuple.from(new Object[] {agent.agentId(), agent.name(), new JsonArray(agent.queues()),
            agent.maxConcurrent(), agent.status(), utc(agent.updatedAt()), tenant}))
        .compose(done -> agent(tenant, agent.agentId()))
        .map(Optional::orElseThrow);
  }

  @Override
  public Future<Optional<Agent.WithLoad>> agent(String tenant, String agentId) {
    return pool.preparedQuery(AGENT_WITH_LOAD).execute(Tuple.of(agentId, tenant))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(agentFrom(rows.iterator().next())));
  }

  @Override
  public Future<List<Agent.WithLoad>> agents(String tenant) {
    return pool.preparedQuery(ALL_AGENTS_WITH_LOAD).execute(Tuple.of(tenant)).map(rows -> {
      List<Agent.WithLoad> agents = new ArrayList<>(rows.size());
      rows.forEach(row -> agents.add(agentFrom(row)));
      return agents;
    });
  }

  @Override
  public Future<Map<String, Set<String>>> servedQueues() {
    return pool.preparedQuery(SERVED_QUEUES).execute().map(rows -> {
      Map<String, Set<String>> served = new java.util.TreeMap<>();
      rows.forEach(row -> ((JsonArray) row.getValue("queues")).forEach(queue -> served
          .computeIfAbsent(row.getString("tenant"), t -> new java.util.LinkedHashSet<>()).add(String.valueOf(queue))));
      return served;
    });
  }

  private static Agent.WithLoad agentFrom(Row row) {
    JsonArray queues = (JsonArray) row.getValue("queues");
    Agent agent = new Agent(row.getString("agent_id"), row.getString("name"),
        queues.stream().map(String::valueOf).toList(), row.getInteger("max_concurrent"), row.getString("status"),
        row.getOffsetDateTime("updated_at").toInstant());
    return new Agent.WithLoad(agent, row.getLong("load"));
  }

  private Future<Handoff> onHandoff(String tenant, String handoffId,
      BiFunction<Handoff, Conversation, Outcome> transition, String resolution) {
    return pool.withTransaction(tx -> tx.preparedQuery(HANDOFF_FOR_UPDATE).execute(Tuple.of(handoffId, tenant))
        .compose(rows -> {
          Handoff current = Optional.ofNullable(firstHandoff(rows))
              .orElseThrow(() -> OperatorStore.handoffNotFound(handoffId));
          return tx.preparedQuery(CONVERSATION_FOR_UPDATE).execute(Tuple.of(current.conversationId(), tenant))
              .compose(conversation -> {
                Outcome outcome = transition.apply(current, conversationFrom(conversation).orElseThrow());
                return write(tx, tenant, outcome, current, resolution, null).map(outcome.handoff());
              });
        }));
  }

  /**
   * Locks the conversation's active handoff (if any), then the conversation. A handoff created
   * between the two locks (its creator held the conversation) shows in the re-check, and the
   * transaction starts over.
   */
  private Future<ConversationView> onConversation(String tenant, String conversationId,
      BiFunction<Conversation, Handoff, Outcome> transition, int attempts) {
    Tuple id = Tuple.of(conversationId, tenant);
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
                  return write(tx, tenant, outcome, active, null, null)
                      .map(written -> new ConversationView(outcome.conversation(), activeAfter));
                });
              });
        }))
        .recover(failure -> failure instanceof ActiveHandoffChanged && attempts > 1
            ? onConversation(tenant, conversationId, transition, attempts - 1)
            : Future.failedFuture(failure instanceof ActiveHandoffChanged
                ? BatonException.conflict("Conversation " + conversationId + " changed during the request; retry it",
                    new JsonObject())
                : failure));
  }

  private static Future<Void> write(SqlConnection tx, String tenant, Outcome outcome, Handoff read, String resolution,
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
          .execute(Tuple.of(c.conversationId(), c.owner().name(), c.agentId(), utc(at), tenant)).mapEmpty());
    }
    for (Event event : outcome.events()) {
      done = done.compose(v -> PgEventLog.append(tx, event.inTenant(tenant)).mapEmpty());
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
        row.getOffsetDateTime("created_at").toInstant(),
        row.getColumnIndex("provider_message_id") < 0 ? null : row.getString("provider_message_id"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
