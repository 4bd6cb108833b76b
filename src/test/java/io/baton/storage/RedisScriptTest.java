package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scripts by SHA-1, alone and in batches, also when Redis has never seen (or has forgotten) them. */
@Timeout(30)
class RedisScriptTest {

  private final Vertx vertx = Vertx.vertx();
  private final Redis redis = RedisClients.create(vertx, TestServices.redisUrl());
  private final String key = "test-" + UUID.randomUUID() + ":counter";

  /** Unique text per test run, so Redis cannot know it yet: the first call meets NOSCRIPT. */
  private final RedisScript increment = new RedisScript(
      "-- " + UUID.randomUUID() + "\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])");

  @AfterEach
  void close() {
    Await.result(redis.send(Request.cmd(Command.DEL).arg(key)));
    redis.close();
    Await.result(vertx.close());
  }

  @Test
  void aBatchOfAnUnknownScriptIsLoadedAndRunsEachCallOnce() {
    List<Response> replies = Await.result(increment.batch(redis, 2_000,
        List.of(increment.call(List.of(key), 1), increment.call(List.of(key), 10), increment.call(List.of(key), 100))));

    assertThat(replies.stream().map(Response::toLong)).containsExactly(1L, 11L, 111L);
    assertThat(Await.result(redis.send(Request.cmd(Command.GET).arg(key))).toLong()).isEqualTo(111L);
  }

  @Test
  void aSingleCallOfAnUnknownScriptRunsOnce() {
    assertThat(Await.result(increment.run(redis, 2_000, List.of(key), 5)).toLong()).isEqualTo(5L);
    assertThat(Await.result(increment.run(redis, 2_000, List.of(key), 5)).toLong()).isEqualTo(10L);
  }

  @Test
  void aScriptErrorIsReportedNotRetried() {
    RedisScript failing = new RedisScript("-- " + UUID.randomUUID() + "\nreturn redis.call('INCRBY', KEYS[1], 'x')");

    // Redis's errors are Throwables of their own kind: taken out of the future as its result.
    Throwable failure = Await.result(failing.run(redis, 2_000, List.of(key))
        .transform(done -> Future.succeededFuture(done.cause())));

    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("not an integer").doesNotContain("NOSCRIPT");
  }
}
