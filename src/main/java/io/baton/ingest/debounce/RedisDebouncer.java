package io.baton.ingest.debounce;

import io.baton.config.BatonConfig.DebounceConfig;
import io.baton.ingest.InboundMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Debounce windows in Redis, shared by every instance. A conversation's keys share the hash tag
 * {@code {<conversation>}}, and each script touches only one conversation's keys, so Redis Cluster
 * works unchanged. The due index (a sorted set of conversations by deadline) is a hint kept beside
 * them with single commands: a script re-checks every deadline, and a conversation dropped from the
 * index is checked once more afterwards, so a message added meanwhile is never left behind.
 */
public final class RedisDebouncer implements Debouncer {

  /**
   * KEYS: open, meta. ARGV: now ms, window ms, max wait ms, max batch, keep ms, then the messages. Answers the
   * deadline. The keys expire after {@link #KEEP} without news, so nothing is kept forever in Redis
   * (the messages themselves are in the timeline).
   */
  static final String ADD = """
      local added = #ARGV - 5
      local n = redis.call('RPUSH', KEYS[1], unpack(ARGV, 6))
      redis.call('PEXPIRE', KEYS[1], ARGV[5])
      redis.call('PEXPIRE', KEYS[2], ARGV[5])
      local now = tonumber(ARGV[1])
      if n == added then redis.call('HSET', KEYS[2], 'first_ms', now) end
      local first = tonumber(redis.call('HGET', KEYS[2], 'first_ms') or now)
      local deadline = math.min(now + tonumber(ARGV[2]), first + tonumber(ARGV[3]))
      if n >= tonumber(ARGV[4]) then deadline = now end
      redis.call('HSET', KEYS[2], 'deadline_ms', deadline)
      return deadline
      """;

  /**
   * KEYS: open, meta, claimed. ARGV: now ms, lease ms, new batch id. Answers {1, id, attempt, messages...}
   * when claimed, {0, when} when not yet due (or held under a lease), {-1} when nothing waits.
   */
  static final String CLAIM = """
      local now = tonumber(ARGV[1])
      local claimed = redis.call('HGET', KEYS[2], 'claimed_id')
      if claimed then
        local lease = tonumber(redis.call('HGET', KEYS[2], 'lease_ms') or '0')
        if lease > now then return {0, lease} end
        redis.call('HSET', KEYS[2], 'lease_ms', now + tonumber(ARGV[2]))
        local attempt = redis.call('HINCRBY', KEYS[2], 'attempts', 1)
        return {1, claimed, attempt, unpack(redis.call('LRANGE', KEYS[3], 0, -1))}
      end
      if redis.call('LLEN', KEYS[1]) == 0 then return {-1} end
      local deadline = tonumber(redis.call('HGET', KEYS[2], 'deadline_ms') or '0')
      if deadline > now then return {0, deadline} end
      redis.call('RENAME', KEYS[1], KEYS[3])
      redis.call('HDEL', KEYS[2], 'first_ms', 'deadline_ms')
      redis.call('HSET', KEYS[2], 'claimed_id', ARGV[3], 'lease_ms', now + tonumber(ARGV[2]), 'attempts', 1)
      return {1, ARGV[3], 1, unpack(redis.call('LRANGE', KEYS[3], 0, -1))}
      """;

  /** KEYS: open, meta, claimed. ARGV: batch id. Answers the next window's deadline, or -1. */
  static final String COMPLETE = """
      if redis.call('HGET', KEYS[2], 'claimed_id') == ARGV[1] then
        redis.call('DEL', KEYS[3])
        redis.call('HDEL', KEYS[2], 'claimed_id', 'lease_ms', 'attempts')
      end
      if redis.call('HEXISTS', KEYS[2], 'claimed_id') == 1 then return tonumber(redis.call('HGET', KEYS[2], 'lease_ms')) end
      if redis.call('LLEN', KEYS[1]) > 0 then return tonumber(redis.call('HGET', KEYS[2], 'deadline_ms') or '0') end
      redis.call('DEL', KEYS[2])
      return -1
      """;

  /** KEYS: meta. ARGV: batch id, when ms. */
  static final String RETRY_AT = """
      if redis.call('HGET', KEYS[1], 'claimed_id') == ARGV[1] then
        redis.call('HSET', KEYS[1], 'lease_ms', ARGV[2])
        return 1
      end
      return 0
      """;

  /** KEYS: open, meta. Answers 1 when the conversation still has something to flush. */
  static final String PENDING = """
      if redis.call('LLEN', KEYS[1]) > 0 or redis.call('HEXISTS', KEYS[2], 'claimed_id') == 1 then return 1 end
      return 0
      """;

  /** How long a conversation's debounce keys outlive its latest message. */
  static final Duration KEEP = Duration.ofDays(7);

  private final Redis redis;
  private final DebounceConfig config;
  private final Clock clock;
  private final String prefix;
  private final long timeoutMillis;
  private final AtomicLong totalBuffered = new AtomicLong();

  public RedisDebouncer(Redis redis, DebounceConfig config, Clock clock, String prefix, Duration timeout) {
    this.redis = redis;
    this.config = config;
    this.clock = clock;
    this.prefix = prefix;
    this.timeoutMillis = timeout.toMillis();
  }

  private String index() {
    return prefix + "debounce:due";
  }

  private String key(String conversation, String part) {
    return prefix + "debounce:{" + conversation + "}:" + part;
  }

  private Future<Response> send(Request request) {
    return redis.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private Future<Response> eval(String script, List<String> keys, Object... args) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    for (Object arg : args) {
      request.arg(String.valueOf(arg));
    }
    return send(request);
  }

  @Override
  public Future<Void> add(InboundMessage message) {
    return addAll(List.of(message));
  }

  /** One script call for a conversation's burst, however many messages. */
  @Override
  public Future<Void> addAll(List<InboundMessage> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    String conversation = messages.getFirst().windowKey();
    List<Object> args = new ArrayList<>(List.of(clock.millis(), config.window().toMillis(), config.maxWait().toMillis(),
        config.maxBatch(), KEEP.toMillis()));
    messages.forEach(message -> args.add(message.toJson().encode()));
    return eval(ADD, List.of(key(conversation, "open"), key(conversation, "meta")), args.toArray())
        .compose(deadline -> send(Request.cmd(Command.ZADD).arg(index()).arg(deadline.toLong()).arg(conversation)))
        .onSuccess(added -> totalBuffered.addAndGet(messages.size()))
        .mapEmpty();
  }

  @Override
  public Future<List<Batch>> claimDue(int limit) {
    long now = clock.millis();
    return send(Request.cmd(Command.ZRANGEBYSCORE).arg(index()).arg("-inf").arg(now).arg("LIMIT").arg(0).arg(limit))
        .compose(due -> {
          List<Future<Batch>> claims = new ArrayList<>();
          for (Response member : due) {
            claims.add(claim(member.toString(), now));
          }
          return Future.all(claims).map(done -> {
            List<Batch> batches = new ArrayList<>();
            claims.forEach(claim -> {
              if (claim.result() != null) {
                batches.add(claim.result());
              }
            });
            return batches;
          });
        });
  }

  private Future<Batch> claim(String conversation, long now) {
    return eval(CLAIM, List.of(key(conversation, "open"), key(conversation, "meta"), key(conversation, "claimed")),
            now, config.lease().toMillis(), "bt-" + UUID.randomUUID())
        .compose(reply -> {
          long outcome = reply.get(0).toLong();
          if (outcome == 1) {
            List<JsonObject> messages = new ArrayList<>();
            for (int i = 3; i < reply.size(); i++) {
              messages.add(new JsonObject(reply.get(i).toString()));
            }
            // Revisit when the lease runs out, in case this instance dies with the batch.
            long leaseEnd = now + config.lease().toMillis();
            return reindex(conversation, leaseEnd)
                .map(new Batch(reply.get(1).toString(), conversation, messages, reply.get(2).toInteger()));
          }
          return (outcome == 0 ? reindex(conversation, reply.get(1).toLong()) : drop(conversation))
              .map((Batch) null);
        });
  }

  private Future<Void> reindex(String conversation, long at) {
    return send(Request.cmd(Command.ZADD).arg(index()).arg(at).arg(conversation)).mapEmpty();
  }

  /** Drops a conversation from the index, then checks it once more (an add may have raced the drop). */
  private Future<Void> drop(String conversation) {
    return send(Request.cmd(Command.ZREM).arg(index()).arg(conversation))
        .compose(removed -> eval(PENDING, List.of(key(conversation, "open"), key(conversation, "meta"))))
        .compose(pending -> pending.toInteger() == 1 ? reindex(conversation, clock.millis()) : Future.succeededFuture());
  }

  @Override
  public Future<Void> complete(Batch batch) {
    String conversation = batch.conversationKey();
    return eval(COMPLETE, List.of(key(conversation, "open"), key(conversation, "meta"), key(conversation, "claimed")),
            batch.batchId())
        .compose(next -> next.toLong() < 0 ? drop(conversation) : reindex(conversation, next.toLong()));
  }

  @Override
  public Future<Void> retryAt(Batch batch, Instant at) {
    String conversation = batch.conversationKey();
    return eval(RETRY_AT, List.of(key(conversation, "meta")), batch.batchId(), at.toEpochMilli())
        .compose(done -> reindex(conversation, at.toEpochMilli()));
  }

  @Override
  public Future<JsonObject> stats() {
    return send(Request.cmd(Command.ZCARD).arg(index())).map(count -> new JsonObject()
        .put("active_buffers", count.toLong())
        .put("total_buffered", totalBuffered.get()));
  }
}
