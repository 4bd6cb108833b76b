package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.baton.support.SseStream;
import io.baton.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rate limits as clients see them: statuses, headers, problems, and buckets shared through Redis. */
@Timeout(120)
class RateLimitApiTest {

  private static Map<String, String> apiIpQuota(int quota) {
    Map<String, String> env = new HashMap<>();
    env.put("BATON_LIMITS_RATE_GROUPS_API_PER_IP_QUOTA", Integer.toString(quota));
    env.put("BATON_LIMITS_RATE_GROUPS_API_PER_IP_WINDOW_SECONDS", "600");
    return env;
  }

  private static Map<String, String> sharedRedis(Map<String, String> env, String prefix) {
    env.put("BATON_REDIS_URL", TestServices.redisUrl());
    env.put("BATON_REDIS_KEY_PREFIX", prefix);
    return env;
  }

  @Test
  void overTheLimitIs429WithRetryAfterAndEveryLimitedAnswerCarriesTheDraftHeaders() {
    try (BatonInstance baton = BatonInstance.memory(apiIpQuota(2))) {
      ContractCheck contract = new ContractCheck(baton.vertx);
      List<HttpResponse<Buffer>> answers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        answers.add(Await.result(baton.client.get("/api/v1/handoffs/ho-unknown").send()));
      }

      assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(404, 404, 429);
      assertThat(answers.get(0).getHeader("RateLimit-Policy")).isEqualTo("\"api-ip\";q=2;w=600");
      assertThat(answers.get(0).getHeader("RateLimit")).isEqualTo("\"api-ip\";r=1;t=300");
      assertThat(answers.get(1).getHeader("RateLimit")).isEqualTo("\"api-ip\";r=0;t=600");
      HttpResponse<Buffer> refused = contract.validate("getHandoff", answers.get(2));
      assertThat(refused.getHeader("Retry-After")).isEqualTo("300");
      assertThat(refused.getHeader("RateLimit")).isEqualTo("\"api-ip\";r=0;t=600");
      assertThat(refused.bodyAsJsonObject().getString("detail"))
          .contains("\"api-ip\"", "2 requests per 600 s per client address", "limits.rate.groups.api");
      assertThat(refused.bodyAsJsonObject().getString("policy")).isEqualTo("api-ip");

      // Health checks are never limited, and neither are the docs.
      assertThat(Await.result(baton.client.get("/health").send()).statusCode()).isEqualTo(200);
      assertThat(Await.result(baton.client.get("/health").send()).getHeader("RateLimit")).isNull();
    }
  }

  @Test
  void aCredentialCountsOnItsOwnBucketAndStillAgainstItsAddressUntilItIsVerified() {
    Map<String, String> env = apiIpQuota(3);
    env.put("BATON_LIMITS_RATE_GROUPS_API_PER_KEY_QUOTA", "1");
    env.put("BATON_LIMITS_RATE_GROUPS_API_PER_KEY_WINDOW_SECONDS", "600");
    try (BatonInstance baton = BatonInstance.memory(env)) {
      HttpResponse<Buffer> first = Await.result(baton.client.get("/api/v1/handoffs/ho-unknown")
          .putHeader("X-API-Key", "key-one").send());
      HttpResponse<Buffer> again = Await.result(baton.client.get("/api/v1/handoffs/ho-unknown")
          .putHeader("X-API-Key", "key-one").send());
      HttpResponse<Buffer> otherKey = Await.result(baton.client.get("/api/v1/handoffs/ho-unknown")
          .putHeader("Authorization", "Bearer key-two").send());
      HttpResponse<Buffer> thirdKey = Await.result(baton.client.get("/api/v1/handoffs/ho-unknown")
          .putHeader("Authorization", "Bearer key-three").send());

      assertThat(first.statusCode()).isEqualTo(404);
      assertThat(first.getHeader("RateLimit-Policy")).isEqualTo("\"api-key\";q=1;w=600, \"api-ip\";q=3;w=600");
      assertThat(again.statusCode()).isEqualTo(429);
      assertThat(again.bodyAsJsonObject().getString("policy")).isEqualTo("api-key");
      assertThat(otherKey.statusCode()).isEqualTo(404);
      // Inventing credentials does not escape the address's limit: first, otherKey and thirdKey took
      // its 3 (again was refused by its key's bucket before reaching the address's).
      assertThat(thirdKey.statusCode()).isEqualTo(404);
      HttpResponse<Buffer> fourthKey = Await.result(baton.client.get("/api/v1/handoffs/ho-unknown")
          .putHeader("Authorization", "Bearer key-four").send());
      assertThat(fourthKey.statusCode()).isEqualTo(429);
      assertThat(fourthKey.bodyAsJsonObject().getString("policy")).isEqualTo("api-ip");
    }
  }

  @Test
  void routeGroupsHaveTheirOwnBuckets() {
    Map<String, String> env = apiIpQuota(1);
    env.put("BATON_LIMITS_RATE_GROUPS_WEBHOOKS_PER_IP_QUOTA", "2");
    try (BatonInstance baton = BatonInstance.memory(env)) {
      assertThat(Await.result(baton.client.get("/api/v1/handoffs").send()).statusCode()).isEqualTo(200);
      assertThat(Await.result(baton.client.get("/api/v1/handoffs").send()).statusCode()).isEqualTo(429);

      HttpResponse<Buffer> webhook = Await.result(baton.client.get("/webhooks/whatsapp").send());
      assertThat(webhook.statusCode()).isNotEqualTo(429);
      assertThat(webhook.getHeader("RateLimit-Policy")).isEqualTo("\"webhooks-ip\";q=2;w=60");
    }
  }

  @Test
  void openingAnEventStreamCountsAgainstTheStreamsGroupAndIsRefusedBeforeItStarts() {
    Map<String, String> env = new HashMap<>();
    env.put("BATON_LIMITS_RATE_GROUPS_STREAMS_PER_IP_QUOTA", "1");
    env.put("BATON_LIMITS_RATE_GROUPS_STREAMS_PER_IP_WINDOW_SECONDS", "600");
    try (BatonInstance baton = BatonInstance.memory(env)) {
      HttpClient http = baton.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(baton.port));
      try (SseStream first = SseStream.open(http, "/api/v1/events", Map.of());
          SseStream second = SseStream.open(http, "/api/v1/events", Map.of())) {
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().get("RateLimit-Policy")).isEqualTo("\"streams-ip\";q=1;w=600");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().get("Retry-After")).isEqualTo("600");
        assertThat(second.problem().getString("policy")).isEqualTo("streams-ip");
        // The API's own bucket is untouched.
        assertThat(Await.result(baton.client.get("/api/v1/handoffs").send()).statusCode()).isEqualTo(200);
      } finally {
        http.close();
      }
    }
  }

  @Test
  void concurrentRequestsOnTwoInstancesSharingRedisGetExactlyTheQuota() {
    String prefix = "test-" + UUID.randomUUID() + ":";
    int quota = 20;
    try (BatonInstance one = BatonInstance.memory(sharedRedis(apiIpQuota(quota), prefix));
        BatonInstance two = BatonInstance.memory(sharedRedis(apiIpQuota(quota), prefix))) {
      List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        BatonInstance target = i % 2 == 0 ? one : two;
        all.add(target.client.get("/api/v1/handoffs/ho-unknown").send());
      }
      Await.result(Future.join(all));

      long passed = all.stream().filter(f -> f.result().statusCode() == 404).count();
      long refused = all.stream().filter(f -> f.result().statusCode() == 429).count();
      assertThat(passed).isEqualTo(quota);
      assertThat(refused).isEqualTo(80 - quota);
    }
  }

  @Test
  void whileRedisIsUnreachableEachModeDoesWhatItSays() {
    Map<String, String> closed = apiIpQuota(1);
    closed.put("BATON_REDIS_URL", "redis://127.0.0.1:1");
    closed.put("BATON_REDIS_TIMEOUT_MS", "500");
    closed.put("BATON_LIMITS_RATE_ON_REDIS_FAILURE", "closed");
    try (BatonInstance baton = BatonInstance.memory(closed)) {
      HttpResponse<Buffer> refused = Await.result(baton.client.get("/api/v1/handoffs").send());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.getHeader("Retry-After")).isNotBlank();
      assertThat(refused.bodyAsJsonObject().getString("detail")).contains("Rate limits cannot be checked");
    }

    Map<String, String> open = new HashMap<>(closed);
    open.put("BATON_LIMITS_RATE_ON_REDIS_FAILURE", "open");
    try (BatonInstance baton = BatonInstance.memory(open)) {
      for (int i = 0; i < 3; i++) {
        assertThat(Await.result(baton.client.get("/api/v1/handoffs").send()).statusCode()).isEqualTo(200);
      }
    }

    Map<String, String> local = new HashMap<>(closed);
    local.put("BATON_LIMITS_RATE_ON_REDIS_FAILURE", "local");
    try (BatonInstance baton = BatonInstance.memory(local)) {
      assertThat(Await.result(baton.client.get("/api/v1/handoffs").send()).statusCode()).isEqualTo(200);
      assertThat(Await.result(baton.client.get("/api/v1/handoffs").send()).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void rateLimitsCanBeTurnedOff() {
    Map<String, String> env = apiIpQuota(1);
    env.put("BATON_LIMITS_RATE_ENABLED", "false");
    try (BatonInstance baton = BatonInstance.memory(env)) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<Buffer> answer = Await.result(baton.client.get("/api/v1/handoffs").send());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.getHeader("RateLimit")).isNull();
      }
    }
  }
}
