package io.baton.ingest.debounce;

import io.baton.config.BatonConfig.DebounceConfig;
import io.baton.ingest.InboundMessage;
import io.baton.storage.RedisScript;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private static final RedisScript ADD_SCRIPT = new RedisScript(ADD);
  private static final RedisScript CLAIM_SCRIPT = new RedisScript(CLAIM);
  private static final RedisScript COMPLETE_SCRIPT = new RedisScript(COMPLETE);
  private static final RedisScript RETRY_AT_SCRIPT = new RedisScript(RETRY_AT);
  private static final RedisScript PENDING_SCRIPT = new RedisScript(PENDING);

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

  @Override
  public Future<Void> add(InboundMessage message) {
    return addAll(List.of(message));
  }

  /**
   * One round trip for the script calls (one per conversation, however many messages), one for the
   * due index (one command for every conversation).
   */
  @Override
  public Future<Void> addAll(List<InboundMessage> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, List<InboundMessage>> byWindow = new LinkedHashMap<>();
    messages.forEach(message -> byWindow.computeIfAbsent(message.windowKey(), key -> new ArrayList<>()).add(message));
    List<String> conversations = List.copyOf(byWindow.keySet());
    List<Request> calls = new ArrayList<>();
    long now = clock.millis();
    for (String conversation : conversations) {
      List<Object> args = new ArrayList<>(List.of(now, config.window().toMillis(), config.maxWait().toMillis(),
          config.maxBatch(), KEEP.toMillis()));
      byWindow.get(conversation).forEach(message -> args.add(message.toJson().encode()));
      calls.add(ADD_SCRIPT.call(List.of(key(conversation, "open"), key(conversation, "meta")), args.toArray()));
    }
    return ADD_SCRIPT.batch(redis, timeoutMillis, calls)
        .compose(deadlines -> {
          Request index = Request.cmd(Command.ZADD).arg(index());
          for (int i = 0; i < conversations.size(); i++) {
            index.arg(deadlines.get(i).toLong()).arg(conversations.get(i));
          }
          return send(index);
        })
        .onSuccess(added -> totalBuffered.addAndGet(messages.size()))
        .mapEmpty();
  }

  /** One round trip for the due conversations, one for their claims, one to index them again. */
  @Override
  public Future<List<Batch>> claimDue(int limit) {
    long now = clock.millis();
    return send(Request.cmd(Command.ZRANGEBYSCORE).arg(index()).arg("-inf").arg(now).arg("LIMIT").arg(0).arg(limit))
        .compose(due -> {
          List<String> conversations = new ArrayList<>();
          due.forEach(member -> conversations.add(member.toString()));
          List<Request> calls = conversations.stream().map(conversation -> CLAIM_SCRIPT.call(
                  List.of(key(conversation, "open"), key(conversation, "meta"), key(conversation, "claimed")),
                  now, config.lease().toMillis(), "bt-" + UUID.randomUUID()))
              .toList();
          return CLAIM_SCRIPT.batch(redis, timeoutMillis, calls).compose(replies -> {
            List<Batch> batches = new ArrayList<>();
            List<String> empty = new ArrayList<>();
            Request reindex = Request.cmd(Command.ZADD).arg(index());
            for (int i = 0; i < replies.size(); i++) {
              String conversation = conversations.get(i);
              Response reply = replies.get(i);
              long outcome = reply.get(0).toLong();
              if (outcome == 1) {
                List<JsonObject> messages = new ArrayList<>();
                StringBuilder json = new StringBuilder("[");
                for (int m = 3; m < reply.size(); m++) {
                  String message = reply.get(m).toString();
                  messages.add(new JsonObject(message));
                  json.append(m > 3 ? "," : "").append(message);
                }
                batches.add(new Batch(reply.get(1).toString(), conversation, messages, reply.get(2).toInteger(),
                    json.append(']').toString()));
                // Revisit when the lease runs out, in case this instance dies with the batch.
                reindex.arg(now + config.lease().toMillis()).arg(conversation);
              } else if (outcome == 0) {
                reindex.arg(reply.get(1).toLong()).arg(conversation);
              } else {
                empty.add(conversation);
              }
            }
            Future<Void> indexed = empty.size() == conversations.size() ? Future.succeededFuture() : send(reindex).mapEmpty();
            return indexed.compose(done -> dropAll(empty)).map(batches);
          });
        });
  }

  private Future<Void> reindex(String conversation, long at) {
    return send(Request.cmd(Command.ZADD).arg(index()).arg(at).arg(conversation)).mapEmpty();
  }

  @Override
  public Future<Void> complete(Batch batch) {
    return completeAll(List.of(batch));
  }

  /**
   * One round trip for the completions, one to index again the conversations with more to flush, and
   * for those with nothing left one to drop them from the index, one to check them again (an add may
   * have raced the drop) and, if any did, one more to index them.
   */
  @Override
  public Future<Void> completeAll(List<Batch> batches) {
    if (batches.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> calls = batches.stream().map(batch -> COMPLETE_SCRIPT.call(List.of(key(batch.conversationKey(), "open"),
        key(batch.conversationKey(), "meta"), key(batch.conversationKey(), "claimed")), batch.batchId())).toList();
    return COMPLETE_SCRIPT.batch(redis, timeoutMillis, calls).compose(nexts -> {
      Request reindex = Request.cmd(Command.ZADD).arg(index());
      List<String> done = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        long next = nexts.get(i).toLong();
        if (next < 0) {
          done.add(batches.get(i).conversationKey());
        } else {
          reindex.arg(next).arg(batches.get(i).conversationKey());
        }
      }
      Future<Void> indexed = done.size() == batches.size() ? Future.succeededFuture() : send(reindex).mapEmpty();
      return indexed.compose(ignored -> dropAll(done));
    });
  }

  /** Drops conversations from the index, then checks them once more (an add may have raced the drop). */
  private Future<Void> dropAll(List<String> conversations) {
    if (conversations.isEmpty()) {
      return Future.succeededFuture();
    }
    Request remove = Request.cmd(Command.ZREM).arg(index());
    conversations.forEach(remove::arg);
    return send(remove)
        .compose(removed -> PENDING_SCRIPT.batch(redis, timeoutMillis, conversations.stream().map(conversation ->
            PENDING_SCRIPT.call(List.of(key(conversation, "open"), key(conversation, "meta")))).toList()))
        .compose(pending -> {
          Request reindex = Request.cmd(Command.ZADD).arg(index());
          long now = clock.millis();
          boolean any = false;
          for (int i = 0; i < conversations.size(); i++) {
            if (pending.get(i).toInteger() == 1) {
              reindex.arg(now).arg(conversations.get(i));
              any = true;
            }
          }
          return any ? send(reindex).mapEmpty() : Future.succeededFuture();
        });
  }

  @Override
  public Future<Void> retryAt(Batch batch, Instant at) {
    String conversation = batch.conversationKey();
    return RETRY_AT_SCRIPT.run(redis, timeoutMillis, List.of(key(conversation, "meta")), batch.batchId(), at.toEpochMilli())
        .compose(done -> reindex(conversation, at.toEpochMilli()));
  }

  @Override
  public Future<JsonObject> stats() {
    return send(Request.cmd(Command.ZCARD).arg(index())).map(count -> new JsonObject()
        .put("active_buffers", count.toLong())
        .put("total_buffered", totalBuffered.get()));
  }
}
