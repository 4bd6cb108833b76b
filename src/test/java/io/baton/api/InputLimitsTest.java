package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.ingest.Signatures;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every input limit answers a problem whose detail names the limit, and inputs within them pass. */
@Timeout(60)
class InputLimitsTest {

  private static final String SECRET = "input-limits-secret";
  private static BatonInstance baton;
  private static ContractCheck contract;

  @BeforeAll
  static void start() {
    baton = BatonInstance.memory(Map.of(
        "BATON_HTTP_BODY_LIMIT_BYTES", "20000",
        "BATON_HTTP_WEBHOOK_BODY_LIMIT_BYTES", "40000",
        "BATON_HTTP_MAX_HEADER_SIZE", "2048",
        "BATON_HTTP_MAX_INITIAL_LINE_LENGTH", "512",
        "BATON_LIMITS_JSON_MAX_STRING_LENGTH", "1000",
        "BATON_CHANNELS_WHATSAPP_APP_SECRET", SECRET));
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  private static JsonObject message(String content) {
    return new JsonObject().put("content", content).put("speaker", "user");
  }

  private static JsonObject handoff(JsonArray messages) {
    return new JsonObject().put("conversation_id", "conv-limits-" + System.nanoTime()).put("user_id", "u-1")
        .put("messages", messages);
  }

  private static HttpResponse<Buffer> post(String path, Buffer body) {
    return Await.result(baton.client.post(path).putHeader("Content-Type", "application/json").sendBuffer(body));
  }

  @Test
  void anApiBodyOverItsRouteGroupsLimitIs413NamingTheLimit() {
    JsonObject big = handoff(new JsonArray().add(message("x".repeat(900)))).put("metadata",
        new JsonObject().put("pad", "y".repeat(900)));
    for (int i = 0; i < 30; i++) {
      big.getJsonObject("metadata").put("pad" + i, "z".repeat(900));
    }

    HttpResponse<Buffer> answer = contract.validate("createHandoff", post("/api/v1/handoff", big.toBuffer()));

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.bodyAsJsonObject().getString("detail"))
        .isEqualTo("The request body is larger than the limit of 20000 bytes (http.body_limit_bytes)");
  }

  @Test
  void aWebhookBodyHasTheWebhooksLimitAndItsOwnDetail() {
    Buffer within = Buffer.buffer("{\"object\":\"whatsapp_business_account\",\"pad\":\"" + "x".repeat(30_000) + "\"}");
    Buffer over = Buffer.buffer("{\"pad\":\"" + "x".repeat(50_000) + "\"}");

    HttpResponse<Buffer> accepted = Await.result(baton.client.post("/webhooks/whatsapp")
        .putHeader("X-Hub-Signature-256", Signatures.meta(SECRET, within)).sendBuffer(within));
    HttpResponse<Buffer> refused = Await.result(baton.client.post("/webhooks/whatsapp")
        .putHeader("X-Hub-Signature-256", Signatures.meta(SECRET, over)).sendBuffer(over));

    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.bodyAsJsonObject().getString("detail")).endsWith("40000 bytes (http.webhook_body_limit_bytes)");
  }

  @Test
  void jsonNestedDeeperThanTheLimitIs422NamingIt() {
    JsonObject deep = new JsonObject().put("leaf", 1);
    for (int i = 0; i < 40; i++) {
      deep = new JsonObject().put("n", deep);
    }
    JsonObject within = new JsonObject().put("leaf", 1);
    for (int i = 0; i < 20; i++) {
      within = new JsonObject().put("n", within);
    }

    HttpResponse<Buffer> refused = contract.validate("checkHandoff", post("/api/v1/check",
        new JsonObject().put("messages", new JsonArray().add(message("hello"))).put("metadata", deep).toBuffer()));
    HttpResponse<Buffer> accepted = post("/api/v1/check",
        new JsonObject().put("messages", new JsonArray().add(message("hello"))).put("metadata", within).toBuffer());

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("deeper than 32 levels", "limits.json.max_depth");
    assertThat(accepted.statusCode()).isEqualTo(200);
  }

  @Test
  void aStringLongerThanTheLimitIs422NamingItAndEscapesCountAsOneCharacter() {
    HttpResponse<Buffer> refused = contract.validate("createHandoff", post("/api/v1/handoff",
        handoff(new JsonArray().add(message("a".repeat(1001)))).toBuffer()));
    // 1,000 characters, written as 6-byte escapes and 2-byte UTF-8: within the limit.
    String escaped = "{\"messages\":[{\"content\":\"" + "\\u00e9".repeat(500) + "é".repeat(500)
        + "\",\"speaker\":\"user\"}]}";
    HttpResponse<Buffer> accepted = post("/api/v1/check", Buffer.buffer(escaped));

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("detail"))
        .isEqualTo("A string in the request body is longer than 1000 characters (limits.json.max_string_length)");
    assertThat(accepted.statusCode()).isEqualTo(200);
  }

  @Test
  void moreThan500MessagesIs422OnHandoffAndCheckAnd500Pass() {
    JsonArray five = new JsonArray();
    for (int i = 0; i < 500; i++) {
      five.add(message("m"));
    }
    JsonArray tooMany = five.copy().add(message("m"));

    HttpResponse<Buffer> handoff = contract.validate("createHandoff", post("/api/v1/handoff",
        handoff(tooMany).toBuffer()));
    HttpResponse<Buffer> check = contract.validate("checkHandoff", post("/api/v1/check",
        new JsonObject().put("messages", tooMany).toBuffer()));
    HttpResponse<Buffer> within = post("/api/v1/handoff", handoff(five).toBuffer());

    assertThat(handoff.statusCode()).isEqualTo(422);
    assertThat(handoff.bodyAsJsonObject().getString("detail")).contains("/messages", "500");
    assertThat(check.statusCode()).isEqualTo(422);
    assertThat(check.bodyAsJsonObject().getString("detail")).contains("/messages", "500");
    assertThat(within.statusCode()).isEqualTo(200);
  }

  @Test
  void headersOverTheLimitAre431AsAProblem() {
    HttpResponse<Buffer> answer = Await.result(baton.client.get("/api/v1/handoffs")
        .putHeader("X-Padding", "p".repeat(4_000)).send());

    assertThat(answer.statusCode()).isEqualTo(431);
    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(answer.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.bodyAsJsonObject().getString("detail"))
        .isEqualTo("The request headers are larger than 2048 bytes (http.max_header_size)");
    assertThat(answer.bodyAsJsonObject().getString("request_id")).isEqualTo(answer.getHeader("X-Request-Id"));
  }

  @Test
  void aRequestLineOverTheLimitIs414AsAProblem() {
    HttpResponse<Buffer> answer = Await.result(baton.client.get("/api/v1/handoffs?queue=" + "q".repeat(1_000)).send());

    assertThat(answer.statusCode()).isEqualTo(414);
    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(answer.bodyAsJsonObject().getString("detail"))
        .isEqualTo("The request line is longer than 512 bytes (http.max_initial_line_length)");
  }
}
