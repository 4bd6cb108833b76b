package io.baton.storage;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}), so its text is not sent, nor hashed by Redis,
 * on every call. A Redis that has not seen it yet (restarted, flushed) answers NOSCRIPT, and the
 * script is then loaded once and the call made again: a NOSCRIPT call ran nothing, so the retry
 * cannot apply anything twice.
 */
public final class RedisScript {

  private final String source;
  private final String sha;

  public RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** An {@code EVALSHA} of this script, to send alone or in a batch of calls of this script. */
  public Request call(List<String> keys, Object... args) {
    Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
    keys.forEach(request::arg);
    for (Object arg : args) {
      request.arg(String.valueOf(arg));
    }
    return request;
  }

  public Future<Response> run(Redis redis, long timeoutMillis, List<String> keys, Object... args) {
    return batch(redis, timeoutMillis, List.of(call(keys, args))).map(List::getFirst);
  }

  /**
   * Calls of this script in one round trip (one write, one connection). Only this script's calls: if
   * Redis does not know it, none of them ran, and all are made again once it is loaded.
   */
  public Future<List<Response>> batch(Redis redis, long timeoutMillis, List<Request> calls) {
    if (calls.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return send(redis, calls)
        .recover(failure -> isNoScript(failure)
            ? redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).compose(loaded -> send(redis, calls))
            : Future.failedFuture(failure))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private static Future<List<Response>> send(Redis redis, List<Request> calls) {
    return calls.size() == 1 ? redis.send(calls.getFirst()).map(List::of) : redis.batch(calls);
  }

  /** Alone, Redis's error starts with NOSCRIPT; in a batch, it lists each call's ("ERR [0] NOSCRIPT …"). */
  private static boolean isNoScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-1 is part of every Java platform", impossible);
    }
  }
}
