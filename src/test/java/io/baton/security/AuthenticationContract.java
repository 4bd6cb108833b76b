package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.baton.support.SseStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Credentials over real HTTP with keys and HS256 tokens configured: what is refused (401 with
 * WWW-Authenticate), what a role may not do (403), and the ways a credential may be sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class AuthenticationContract {

  private BatonInstance baton;
  private ContractCheck contract;

  protected abstract BatonInstance startBaton(Map<String, String> env);

  @BeforeAll
  void start() {
    baton = startBaton(Credentials.env("default"));
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  void stop() {
    baton.close();
  }

  private HttpResponse<Buffer> send(String operationId, HttpRequest<Buffer> request, JsonObject body) {
    HttpResponse<Buffer> response = Await.result(body == null ? request.send() : request.sendJsonObject(body));
    return contract.validate(operationId, response);
  }

  private HttpResponse<Buffer> listHandoffs(String header, String value) {
    HttpRequest<Buffer> request = baton.client.get("/api/v1/handoffs");
    if (header != null) {
      request.putHeader(header, value);
    }
    return send("listHandoffs", request, null);
  }

  private static JsonObject handoff() {
    return new JsonObject().put("conversation_id", "conv-" + UUID.randomUUID()).put("user_id", "u-1")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hello")));
  }

  private static JsonObject agent() {
    return new JsonObject().put("name", "Ann").put("queues", new JsonArray().add("general"))
        .put("max_concurrent", 2).put("status", "offline");
  }

  private static String bearer(String credential) {
    return "Bearer " + credential;
  }

  private void assertUnauthorized(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.bodyAsJsonObject().getString("detail")).isNotBlank();
  }

  // ---- 401 ----

  @Test
  void noCredentialIsUnauthorizedWithAChallenge() {
    HttpResponse<Buffer> response = listHandoffs(null, null);

    assertUnauthorized(response);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("Authorization: Bearer").contains("X-API-Key");
  }

  @Test
  void anUnknownKeyIsUnauthorized() {
    HttpResponse<Buffer> response = listHandoffs("Authorization", bearer("key-nobody-has-this-one"));
    assertUnauthorized(response);
    assertThat(response.getHeader("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertUnauthorized(listHandoffs("X-API-Key", "key-nobody-has-this-one"));
  }

  @Test
  void aMalformedAuthorizationHeaderIsUnauthorized() {
    assertUnauthorized(listHandoffs("Authorization", "Basic " + Credentials.key("default", Role.PLATFORM)));
  }

  @Test
  void twoCredentialsAtOnceAreRefused() {
    HttpRequest<Buffer> request = baton.client.get("/api/v1/handoffs")
        .putHeader("Authorization", bearer(Credentials.key("default", Role.PLATFORM)))
        .putHeader("X-API-Key", Credentials.key("default", Role.ADMIN));

    assertUnauthorized(send("listHandoffs", request, null));
  }

  @Test
  void expiredTokensAreRefused() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = Credentials.claims("default", "agent").put("iat", now - 600).put("exp", now - 60);

    assertUnauthorized(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx, claims))));
  }

  @Test
  void aTokenJustPastItsExpiryIsAcceptedWithinTheLeeway() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = Credentials.claims("default", "agent").put("exp", now - 1);

    assertThat(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx, claims))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void tokensNotYetValidAreRefused() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = Credentials.claims("default", "agent").put("nbf", now + 120);

    assertUnauthorized(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx, claims))));
  }

  @Test
  void tokensOfAnotherIssuerOrAudienceAreRefused() {
    assertUnauthorized(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx,
        Credentials.claims("default", "agent").put("iss", "https://evil.example.test")))));
    assertUnauthorized(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx,
        Credentials.claims("default", "agent").put("aud", "another-service")))));
    JsonObject noAudience = Credentials.claims("default", "agent");
    noAudience.remove("aud");
    assertUnauthorized(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx, noAudience))));
  }

  @Test
  void unsignedTokensAreRefused() {
    HttpResponse<Buffer> response = listHandoffs("Authorization",
        bearer(Credentials.unsigned(Credentials.claims("default", "admin"))));

    assertUnauthorized(response);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("none").contains("HS256");
  }

  @Test
  void tokensSignedWithAnotherAlgorithmOrKeyAreRefused() {
    JsonObject claims = Credentials.claims("default", "admin");
    assertUnauthorized(listHandoffs("Authorization",
        bearer(Credentials.token(baton.vertx, "HS384", Credentials.SECRET + "-longer-for-hs384", claims))));
    assertUnauthorized(listHandoffs("Authorization",
        bearer(Credentials.token(baton.vertx, "HS256", "another-secret-0123456789-abcdefghijkl", claims))));
  }

  @Test
  void tokensWithoutExpiryAreRefused() {
    JsonObject noExpiry = Credentials.claims("default", "agent");
    noExpiry.remove("exp");

    assertUnauthorized(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx, noExpiry))));
  }

  @Test
  void tokensOfAnotherTenantAreServedTokensWithoutOneAreTheDefaultTenantsAndOddNamesAreRefused() {
    HttpResponse<Buffer> foreign = listHandoffs("Authorization",
        bearer(Credentials.token(baton.vertx, Credentials.claims("acme", "admin"))));
    JsonObject noTenant = Credentials.claims("default", "agent");
    noTenant.remove("tenant");

    assertThat(foreign.statusCode()).isEqualTo(200);
    assertThat(listHandoffs("Authorization", bearer(Credentials.token(baton.vertx, noTenant))).statusCode())
        .isEqualTo(200);
    assertUnauthorized(listHandoffs("Authorization",
        bearer(Credentials.token(baton.vertx, Credentials.claims("acme\u0000default", "admin")))));
    assertUnauthorized(listHandoffs("Authorization",
        bearer(Credentials.token(baton.vertx, Credentials.claims("a b", "admin")))));
  }

  // ---- admitted ----

  @Test
  void aKeyIsAcceptedInEitherHeader() {
    String key = Credentials.key("default", Role.PLATFORM);
    HttpResponse<Buffer> viaBearer = send("createHandoff",
        baton.client.post("/api/v1/handoff").putHeader("Authorization", bearer(key)), handoff());
    HttpResponse<Buffer> viaHeader = send("createHandoff",
        baton.client.post("/api/v1/handoff").putHeader("X-API-Key", key), handoff());

    assertThat(viaBearer.statusCode()).isEqualTo(200);
    assertThat(viaHeader.statusCode()).isEqualTo(200);
  }

  @Test
  void anAgentTokenIsAccepted() {
    HttpResponse<Buffer> response = send("listAgents", baton.client.get("/api/v1/agents")
        .putHeader("Authorization", bearer(Credentials.agentToken(baton.vertx, "default"))), null);

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void publicRoutesNeedNoCredential() {
    assertThat(send("health", baton.client.get("/health"), null).statusCode()).isEqualTo(200);
    assertThat(Await.result(baton.client.get("/openapi.yaml").send()).statusCode()).isEqualTo(200);
    assertThat(Await.result(baton.client.get("/docs/").send()).statusCode()).isEqualTo(200);
  }

  // ---- 403 per role group ----

  @Test
  void aPlatformMayNotDoAgentsOrAdminsWork() {
    String key = bearer(Credentials.key("default", Role.PLATFORM));
    HttpResponse<Buffer> putAgent = send("putAgent",
        baton.client.put("/api/v1/agents/ann").putHeader("Authorization", key), agent());
    HttpResponse<Buffer> queue = send("getHandoffQueue",
        baton.client.get("/api/v1/conversations/handoff/queue").putHeader("Authorization", key), null);
    HttpResponse<Buffer> assign = send("assignHandoff",
        baton.client.post("/api/v1/handoffs/ho-1/assign").putHeader("Authorization", key),
        new JsonObject().put("agent_id", "ann"));

    assertThat(putAgent.statusCode()).isEqualTo(403);
    assertThat(queue.statusCode()).isEqualTo(403);
    assertThat(assign.statusCode()).isEqualTo(403);
    assertThat(assign.bodyAsJsonObject().getString("detail")).contains("platform").contains("assignHandoff");
  }

  @Test
  void anAgentMayNotCreateHandoffsNorManageAgents() {
    String token = bearer(Credentials.agentToken(baton.vertx, "default"));
    HttpResponse<Buffer> create = send("createHandoff",
        baton.client.post("/api/v1/handoff").putHeader("Authorization", token), handoff());
    HttpResponse<Buffer> putAgent = send("putAgent",
        baton.client.put("/api/v1/agents/ann").putHeader("Authorization", token), agent());
    HttpResponse<Buffer> stats = send("stats", baton.client.get("/stats").putHeader("Authorization", token), null);

    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(putAgent.statusCode()).isEqualTo(403);
    assertThat(stats.statusCode()).isEqualTo(403);
  }

  @Test
  void anAdminMayManageAgentsWithAKeyOrAToken() {
    HttpResponse<Buffer> viaKey = send("putAgent", baton.client.put("/api/v1/agents/ann-" + UUID.randomUUID())
        .putHeader("X-API-Key", Credentials.key("default", Role.ADMIN)), agent());
    HttpResponse<Buffer> viaToken = send("putAgent", baton.client.put("/api/v1/agents/bob-" + UUID.randomUUID())
        .putHeader("Authorization", bearer(Credentials.token(baton.vertx, Credentials.claims("default", "admin")))),
        agent());

    assertThat(viaKey.statusCode()).isEqualTo(200);
    assertThat(viaToken.statusCode()).isEqualTo(200);
  }

  // ---- event streams ----

  @Test
  void streamsTakeTheTokenAsAQueryParameter() {
    HttpClient http = baton.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(baton.port));
    try (SseStream stream = SseStream.open(http,
        "/api/v1/events?access_token=" + Credentials.agentToken(baton.vertx, "default"), Map.of());
        SseStream withoutToken = SseStream.open(http, "/api/v1/events", Map.of())) {
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(withoutToken.statusCode()).isEqualTo(401);
    } finally {
      Await.result(http.close());
    }
  }

  @Test
  void onlyStreamsTakeTheQueryParameter() {
    HttpResponse<Buffer> response = send("listAgents",
        baton.client.get("/api/v1/agents").addQueryParam("access_token", Credentials.agentToken(baton.vertx, "default")),
        null);

    assertUnauthorized(response);
  }

  @Test
  void streamsStillCheckTheRole() {
    HttpClient http = baton.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(baton.port));
    try (SseStream stream = SseStream.open(http,
        "/api/v1/events?access_token=" + Credentials.key("default", Role.PLATFORM), Map.of())) {
      assertThat(stream.statusCode()).isEqualTo(403);
      assertThat(stream.problem().getString("detail")).contains("platform");
    } finally {
      Await.result(http.close());
    }
  }

  @Test
  void aTokenRefusalIsFastAndNeverEchoesTheToken() {
    String token = Credentials.token(baton.vertx, Credentials.claims("default", "agent").put("iss", "https://x.test"));
    HttpResponse<Buffer> response = listHandoffs("Authorization", bearer(token));

    assertUnauthorized(response);
    for (String part : token.split("\\.")) {
      assertThat(response.bodyAsString()).doesNotContain(part);
    }
  }

  @Test
  void pathSpellingsThatReachAnOperationNeedACredentialToo() {
    for (String path : new String[] {"/api/v1/handoffs/", "/api/v1//handoffs", "/api/v1/./handoffs",
        "/api/v1/x/../handoffs", "//api/v1/handoffs", "/api/v1/handoffs?x=1", "/api/v1/%68andoffs",
        "/API/v1/handoffs", "/api/v1/agents/", "/api/v1/agents/ann/"}) {
      HttpResponse<Buffer> response = Await.result(baton.client.get(path).send());
      assertThat(response.statusCode()).as(path).isIn(401, 404);
    }
  }

  @Test
  void callersWithoutCredentialsAreRefusedBeforeTheirBodyIsRead() {
    Buffer large = Buffer.buffer("{\"conversation_id\":\"" + "x".repeat(1_048_576) + "\"}");
    HttpResponse<Buffer> response = Await.result(baton.client.post("/api/v1/handoff")
        .putHeader("Content-Type", "application/json").sendBuffer(large));

    // Over the body limit (413) if the body had been read first.
    assertUnauthorized(response);
  }

  static Duration timeout() {
    return Duration.ofSeconds(5);
  }
}
