package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The handoff API over real HTTP, every answer validated against openapi.yaml. Runs on both
 * storage modes. Includes the seed story's test cases 1, 2, 3 and 6.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class HandoffApiContract {

  protected BatonInstance baton;
  private ContractCheck contract;

  protected abstract BatonInstance startBaton();

  @BeforeAll
  void start() {
    baton = startBaton();
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  void stop() {
    baton.close();
  }

  protected static String conversation() {
    return "conv-" + UUID.randomUUID();
  }

  protected HttpResponse<Buffer> post(String operationId, String path, JsonObject body) {
    return contract.validate(operationId, Await.result(baton.client.post(path).sendJsonObject(body)));
  }

  protected HttpResponse<Buffer> createHandoff(JsonObject body) {
    return post("createHandoff", "/api/v1/handoff", body);
  }

  protected HttpResponse<Buffer> get(String operationId, String path) {
    return contract.validate(operationId, Await.result(baton.client.get(path).send()));
  }

  private static JsonObject message(String speaker, String content) {
    return new JsonObject().put("speaker", speaker).put("content", content);
  }

  private static JsonObject handoffBody(String conversationId, JsonObject... messages) {
    return new JsonObject()
        .put("conversation_id", conversationId)
        .put("user_id", "user-456")
        .put("messages", new JsonArray(List.of((Object[]) messages)));
  }

  // ---- the seed story's test cases ----

  @Test
  void seedCase1_successfulHandoffCreation() {
    JsonObject body = handoffBody(conversation(), message("user", "I need help"),
        message("ai", "Let me transfer you")).put("priority", "HIGH");

    HttpResponse<Buffer> response = createHandoff(body);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject data = response.bodyAsJsonObject();
    assertThat(data.getString("handoff_id")).startsWith("ho-");
    assertThat(data.getString("status")).isEqualTo("pending");
    assertThat(data.containsKey("ticket_id")).isTrue();
    assertThat(data.getString("priority")).isEqualTo("HIGH");
    assertThat(data.getString("user_id")).isEqualTo("user-456");
  }

  @Test
  void seedCase2_handoffWithRoutingRule() {
    JsonObject body = handoffBody(conversation(), message("user", "billing question"))
        .put("metadata", new JsonObject().put("tier", "vip"));

    JsonObject data = createHandoff(body).bodyAsJsonObject();

    assertThat(data.getString("assigned_queue")).isEqualTo("vip_support");
    assertThat(data.getString("routing_rule")).isEqualTo("vip_routing");
  }

  @Test
  void seedCase3_invalidRequest() {
    HttpResponse<Buffer> response = createHandoff(new JsonObject().put("conversation_id", "conv-123"));

    assertThat(response.statusCode()).isEqualTo(422);
    JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("field")))
        .contains("/user_id", "/messages");
  }

  @Test
  void seedCase6_skipTriggers() {
    JsonObject asked = handoffBody(conversation(), message("user", "I want to talk to a human please"));
    JsonObject skipped = asked.copy().put("conversation_id", conversation()).put("skip_triggers", true);

    JsonObject withTriggers = createHandoff(asked).bodyAsJsonObject();
    HttpResponse<Buffer> response = createHandoff(skipped);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getValue("trigger")).isNull();
    assertThat(response.bodyAsJsonObject().getString("priority")).isEqualTo("MEDIUM");
    assertThat(withTriggers.getJsonObject("trigger").getString("type")).isEqualTo("direct_request");
    assertThat(withTriggers.getString("priority")).isEqualTo("HIGH");
  }

  // ---- the built-in helpdesk ----

  @Test
  void aNewHandoffGetsABuiltInTicketWithItsTranscriptAndMappedPriority() {
    JsonObject body = handoffBody(conversation(), message("user", "My card was charged twice"),
        message("ai", "Let me transfer you")).put("priority", "CRITICAL").put("skip_triggers", true)
        .put("metadata", new JsonObject().put("customer", new JsonObject().put("email", "ana@example.com")));

    JsonObject handoff = createHandoff(body).bodyAsJsonObject();

    String ticketId = handoff.getString("ticket_id");
    assertThat(ticketId).startsWith("tkt_");
    assertThat(handoff.getString("ticket_url")).isEqualTo("/api/v1/tickets/" + ticketId);
    JsonObject ticket = get("getTicket", "/api/v1/tickets/" + ticketId).bodyAsJsonObject();
    assertThat(ticket.getString("handoff_id")).isEqualTo(handoff.getString("handoff_id"));
    assertThat(ticket.getString("priority")).isEqualTo("urgent");
    assertThat(ticket.getString("status")).isEqualTo("new");
    assertThat(ticket.getJsonObject("customer").getString("internal_id")).isEqualTo("user-456");
    assertThat(ticket.getJsonObject("customer").getString("primary_email")).isEqualTo("ana@example.com");
    assertThat(ticket.getJsonObject("source").getBoolean("is_bot_handoff")).isTrue();
    assertThat(ticket.getString("subject")).contains("My card was charged twice");
    JsonObject first = ticket.getJsonArray("timeline").getJsonObject(0);
    assertThat(first.getString("content"))
        .isEqualTo("user: My card was charged twice\nai: Let me transfer you\n");
    assertThat(get("getHandoff", "/api/v1/handoffs/" + handoff.getString("handoff_id")).bodyAsJsonObject()
        .getString("ticket_id")).isEqualTo(ticketId);
  }

  @Test
  void aRepeatedCreateAnswersTheSameTicket() {
    JsonObject body = handoffBody(conversation(), message("user", "help"));

    JsonObject first = createHandoff(body).bodyAsJsonObject();
    JsonObject second = createHandoff(body).bodyAsJsonObject();

    assertThat(second.getString("handoff_id")).isEqualTo(first.getString("handoff_id"));
    assertThat(second.getString("ticket_id")).isEqualTo(first.getString("ticket_id"));
  }

  @Test
  void theReadmeExampleIsRoutedToBilling() {
    JsonObject body = handoffBody(conversation(), message("user", "I need help with billing"),
        message("ai", "Let me transfer you"))
        .put("priority", "HIGH")
        .put("metadata", new JsonObject().put("channel", "web").put("product", "premium"));

    JsonObject data = createHandoff(body).bodyAsJsonObject();

    assertThat(data.getString("assigned_queue")).isEqualTo("billing_support");
    assertThat(data.getString("routing_rule")).isEqualTo("billing_issues");
    assertThat(data.getJsonObject("metadata")).isEqualTo(body.getJsonObject("metadata"));
    assertThat(data.getString("created_at")).endsWith("Z");
  }

  // ---- priorities, speakers, triggers ----

  @Test
  void priorityIsAcceptedInAnyCaseAndAnsweredUpperCase() {
    JsonObject body = handoffBody(conversation(), message("user", "hello")).put("priority", "uRgEnT");
    assertThat(createHandoff(body).bodyAsJsonObject().getString("priority")).isEqualTo("URGENT");
  }

  @Test
  void anUnknownPriorityIsUnprocessable() {
    HttpResponse<Buffer> response = createHandoff(handoffBody(conversation(), message("user", "hi"))
        .put("priority", "SOON"));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("/priority");
  }

  @Test
  void triggersRaiseThePriorityButNeverLowerIt() {
    JsonObject low = handoffBody(conversation(), message("user", "I want to speak to a human")).put("priority", "LOW");
    JsonObject critical = low.copy().put("conversation_id", conversation()).put("priority", "CRITICAL");

    assertThat(createHandoff(low).bodyAsJsonObject().getString("priority")).isEqualTo("HIGH");
    assertThat(createHandoff(critical).bodyAsJsonObject().getString("priority")).isEqualTo("CRITICAL");
  }

  @Test
  void speakerAliasesAreAcceptedAndUnknownSpeakersAreNot() {
    JsonObject aliases = handoffBody(conversation(), message("user", "hi"), message("assistant", "hello"),
        message("bot", "how can I help"), message("agent", "hi, I'm Ana"), message("system", "joined"));
    assertThat(createHandoff(aliases).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> robot = createHandoff(handoffBody(conversation(), message("robot", "beep")));
    assertThat(robot.statusCode()).isEqualTo(422);
    assertThat(robot.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("/messages/0/speaker");
  }

  @Test
  void emptyMessagesAndWrongTypesAreUnprocessable() {
    assertThat(createHandoff(handoffBody(conversation())).statusCode()).isEqualTo(422);
    JsonObject wrongTypes = new JsonObject().put("conversation_id", 42).put("user_id", "u").put("messages", "hi");
    HttpResponse<Buffer> response = createHandoff(wrongTypes);
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field"))).contains("/conversation_id", "/messages");
  }

  @Test
  void aNulCharacterIsUnprocessableInEveryStore() {
    JsonObject body = handoffBody(conversation(), message("user", "hi"))
        .put("metadata", new JsonObject().put("note", "a\u0000b"));
    HttpResponse<Buffer> response = createHandoff(body);
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("/metadata/note");
  }

  // ---- syntax, size, ids ----

  @Test
  void unparseableJsonIsABadRequest() {
    HttpResponse<Buffer> response = contract.validate("createHandoff", Await.result(baton.client
        .post("/api/v1/handoff").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{nope"))));
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void aWrongContentTypeIsABadRequest() {
    HttpResponse<Buffer> response = contract.validate("createHandoff", Await.result(baton.client
        .post("/api/v1/handoff").putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("hello"))));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("application/json");
  }

  @Test
  void aMissingBodyIsABadRequest() {
    HttpResponse<Buffer> response = contract.validate("createHandoff", Await.result(baton.client
        .post("/api/v1/handoff").putHeader("Content-Type", "application/json").send()));
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void aBodyOverTheLimitIsTooLarge() {
    String big = "x".repeat(300_000);
    HttpResponse<Buffer> response = createHandoff(handoffBody(conversation(), message("user", big)));
    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void theCallersRequestIdIsEchoedAndOneIsMadeOtherwise() {
    HttpRequest<Buffer> request = baton.client.get("/api/v1/handoffs/ho-unknown").putHeader("X-Request-Id", "req-42");
    HttpResponse<Buffer> mine = contract.validate("getHandoff", Await.result(request.send()));
    HttpResponse<Buffer> made = get("getHandoff", "/api/v1/handoffs/ho-unknown");

    assertThat(mine.getHeader("X-Request-Id")).isEqualTo("req-42");
    assertThat(mine.bodyAsJsonObject().getString("request_id")).isEqualTo("req-42");
    assertThat(made.getHeader("X-Request-Id")).isNotBlank().isNotEqualTo("req-42");
  }

  @Test
  void unknownPathsAreProblemsToo() {
    HttpResponse<Buffer> response = Await.result(baton.client.get("/api/v1/nothing-here").send());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("detail")).isNotBlank();
  }

  // ---- one active handoff per conversation ----

  @Test
  void aSecondCreateAnswersTheActiveHandoff() {
    String conversationId = conversation();
    JsonObject first = createHandoff(handoffBody(conversationId, message("user", "hi"))).bodyAsJsonObject();
    JsonObject second = createHandoff(handoffBody(conversationId, message("user", "hello again"))
        .put("priority", "LOW")).bodyAsJsonObject();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void racingCreatesOfOneConversationAllAnswerTheSameHandoff() {
    String conversationId = conversation();
    JsonObject body = handoffBody(conversationId, message("user", "hi"));
    List<Future<HttpResponse<Buffer>>> racers = IntStream.range(0, 40)
        .mapToObj(i -> baton.client.post("/api/v1/handoff").sendJsonObject(body))
        .toList();
    Await.result(Future.all(racers));

    assertThat(racers).allSatisfy(r -> assertThat(r.result().statusCode()).isEqualTo(200));
    Set<String> ids = racers.stream().map(r -> r.result().bodyAsJsonObject().getString("handoff_id"))
        .collect(Collectors.toSet());
    assertThat(ids).hasSize(1);
    JsonObject page = get("listHandoffs", "/api/v1/handoffs?conversation_id=" + conversationId).bodyAsJsonObject();
    assertThat(page.getInteger("total_count")).isEqualTo(1);
  }

  // ---- idempotency keys ----

  private HttpResponse<Buffer> createWithKey(String key, JsonObject body) {
    return contract.validate("createHandoff", Await.result(baton.client.post("/api/v1/handoff")
        .putHeader("Idempotency-Key", key).sendJsonObject(body)));
  }

  @Test
  void theSameKeyAndBodyReplaysTheFirstAnswer() {
    String key = UUID.randomUUID().toString();
    JsonObject body = handoffBody(conversation(), message("user", "hi"));
    JsonObject first = createWithKey(key, body).bodyAsJsonObject();
    // The handoff changes, but a replay is the first answer, as the client received it.
    get("cancelHandoff", "/api/v1/handoffs/" + first.getString("handoff_id"));
    post("cancelHandoff", "/api/v1/handoffs/" + first.getString("handoff_id") + "/cancel", new JsonObject());

    HttpResponse<Buffer> replay = createWithKey(key, body);

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.bodyAsJsonObject()).isEqualTo(first);
  }

  @Test
  void anOverlongKeyIsUnprocessable() {
    HttpResponse<Buffer> response = createWithKey("k".repeat(256), handoffBody(conversation(), message("user", "hi")));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("Idempotency-Key");
  }

  @Test
  void theSameKeyWithAnotherBodyIsUnprocessable() {
    String key = UUID.randomUUID().toString();
    createWithKey(key, handoffBody(conversation(), message("user", "hi")));

    HttpResponse<Buffer> other = createWithKey(key, handoffBody(conversation(), message("user", "hi")));

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.bodyAsJsonObject().getString("detail")).contains("Idempotency-Key");
  }

  @Test
  void theSameKeyWhileTheFirstRequestRunsIsAConflict() {
    String key = UUID.randomUUID().toString();
    JsonObject body = handoffBody(conversation(), message("user", "hi"));
    // Another instance holds the key and has not answered yet.
    holdIdempotencyKey(key, body);

    HttpResponse<Buffer> response = createWithKey(key, body);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("still being processed");
  }

  /** Claims a key as a running request would, through the running instance's own store. */
  protected void holdIdempotencyKey(String key, JsonObject body) {
    java.time.Instant now = java.time.Instant.now();
    String hash = sha256(body.encode());
    Await.result(baton.app.storage().idempotency().claim("handoff.create", key, hash, now, now.plusSeconds(60),
        now.plusSeconds(3600)));
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void racingRequestsWithOneKeyCreateOneHandoff() {
    String key = UUID.randomUUID().toString();
    String conversationId = conversation();
    JsonObject body = handoffBody(conversationId, message("user", "hi"));
    List<Future<HttpResponse<Buffer>>> racers = IntStream.range(0, 30)
        .mapToObj(i -> baton.client.post("/api/v1/handoff").putHeader("Idempotency-Key", key).sendJsonObject(body))
        .toList();
    Await.result(Future.all(racers));

    List<HttpResponse<Buffer>> responses = racers.stream().map(Future::result).toList();
    responses.forEach(r -> contract.validate("createHandoff", r));
    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 409));
    List<HttpResponse<Buffer>> answered = responses.stream().filter(r -> r.statusCode() == 200).toList();
    assertThat(answered).isNotEmpty();
    assertThat(answered.stream().map(r -> r.bodyAsJsonObject().getString("handoff_id")).distinct()).hasSize(1);
    JsonObject page = get("listHandoffs", "/api/v1/handoffs?conversation_id=" + conversationId).bodyAsJsonObject();
    assertThat(page.getInteger("total_count")).isEqualTo(1);
    // Once the first request finished, the key replays.
    assertThat(createWithKey(key, body).bodyAsJsonObject()).isEqualTo(answered.getFirst().bodyAsJsonObject());
  }

  // ---- read, list, cancel ----

  @Test
  void aPendingHandoffsCreateAnswerCarriesItsPlaceAndWait() {
    JsonObject first = createHandoff(handoffBody(conversation(), message("user", "hi"))).bodyAsJsonObject();
    JsonObject second = createHandoff(handoffBody(conversation(), message("user", "hello"))).bodyAsJsonObject();

    assertThat(second.getString("assigned_queue")).isEqualTo(first.getString("assigned_queue"));
    assertThat(first.getInteger("queue_position")).isPositive();
    assertThat(second.getInteger("queue_position")).isEqualTo(first.getInteger("queue_position") + 1);
    assertThat(second.containsKey("estimated_wait_seconds")).isTrue();
    JsonObject read = get("getHandoff", "/api/v1/handoffs/" + first.getString("handoff_id")).bodyAsJsonObject();
    assertThat(read.getInteger("queue_position")).isEqualTo(first.getInteger("queue_position"));
  }

  @Test
  void aHandoffReadsBackAndAnUnknownOneIsNotFound() {
    JsonObject created = createHandoff(handoffBody(conversation(), message("user", "hi"))).bodyAsJsonObject();

    HttpResponse<Buffer> found = get("getHandoff", "/api/v1/handoffs/" + created.getString("handoff_id"));
    HttpResponse<Buffer> missing = get("getHandoff", "/api/v1/handoffs/ho-does-not-exist");

    // A pending handoff is read with its standing in its queue, as the create answered it.
    JsonObject read = found.bodyAsJsonObject();
    assertThat(read.getInteger("queue_position")).isPositive();
    assertThat(read.containsKey("estimated_wait_seconds")).isTrue();
    assertThat(read).isEqualTo(created);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("detail")).contains("ho-does-not-exist");
  }

  @Test
  void listFiltersOrdersAndPages() {
    String user = "lister-" + UUID.randomUUID();
    for (String priority : List.of("LOW", "CRITICAL", "MEDIUM")) {
      createHandoff(handoffBody(conversation(), message("user", "hi")).put("user_id", user).put("priority", priority));
    }

    JsonObject page1 = get("listHandoffs", "/api/v1/handoffs?user_id=" + user + "&page_size=2").bodyAsJsonObject();
    JsonObject page2 = get("listHandoffs", "/api/v1/handoffs?user_id=" + user + "&page_size=2&page=2")
        .bodyAsJsonObject();
    JsonObject critical = get("listHandoffs", "/api/v1/handoffs?user_id=" + user + "&priority=critical")
        .bodyAsJsonObject();

    assertThat(page1.getInteger("total_count")).isEqualTo(3);
    assertThat(page1.getInteger("page_size")).isEqualTo(2);
    assertThat(page1.getJsonArray("handoffs").stream().map(h -> ((JsonObject) h).getString("priority")))
        .containsExactly("CRITICAL", "MEDIUM");
    assertThat(page2.getJsonArray("handoffs").stream().map(h -> ((JsonObject) h).getString("priority")))
        .containsExactly("LOW");
    assertThat(critical.getInteger("total_count")).isEqualTo(1);
  }

  @Test
  void listDefaultsToTwentyAndRefusesMoreThanAHundred() {
    JsonObject page = get("listHandoffs", "/api/v1/handoffs").bodyAsJsonObject();
    HttpResponse<Buffer> tooMany = get("listHandoffs", "/api/v1/handoffs?page_size=101");
    HttpResponse<Buffer> badStatus = get("listHandoffs", "/api/v1/handoffs?status=sleeping");

    assertThat(page.getInteger("page_size")).isEqualTo(20);
    assertThat(page.getInteger("page")).isEqualTo(1);
    assertThat(tooMany.statusCode()).isEqualTo(422);
    assertThat(tooMany.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("page_size");
    assertThat(badStatus.statusCode()).isEqualTo(422);
  }

  @Test
  void cancelEndsAPendingHandoffOnceAndFreesTheConversation() {
    String conversationId = conversation();
    JsonObject created = createHandoff(handoffBody(conversationId, message("user", "hi"))).bodyAsJsonObject();
    String path = "/api/v1/handoffs/" + created.getString("handoff_id") + "/cancel";

    JsonObject cancelled = post("cancelHandoff", path, new JsonObject()).bodyAsJsonObject();
    HttpResponse<Buffer> again = post("cancelHandoff", path, new JsonObject());
    JsonObject next = createHandoff(handoffBody(conversationId, message("user", "hi"))).bodyAsJsonObject();

    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(cancelled);
    assertThat(next.getString("handoff_id")).isNotEqualTo(created.getString("handoff_id"));
    assertThat(post("cancelHandoff", "/api/v1/handoffs/ho-nope/cancel", new JsonObject()).statusCode())
        .isEqualTo(404);
  }

  // ---- check ----

  @Test
  void checkAnswersTheDecisionWithoutSideEffects() {
    String conversationId = conversation();
    JsonObject asks = new JsonObject()
        .put("conversation_id", conversationId)
        .put("messages", new JsonArray().add(message("user", "my invoice is wrong")))
        .put("current_message", "I want to talk to a human");
    JsonObject calm = new JsonObject().put("messages", new JsonArray().add(message("user", "what are your hours?")));

    JsonObject yes = post("checkHandoff", "/api/v1/check", asks).bodyAsJsonObject();
    JsonObject no = post("checkHandoff", "/api/v1/check", calm).bodyAsJsonObject();

    assertThat(yes.getBoolean("should_handoff")).isTrue();
    assertThat(yes.getJsonObject("trigger").getString("type")).isEqualTo("direct_request");
    assertThat(yes.getString("assigned_queue")).isEqualTo("billing_support");
    assertThat(yes.getString("routing_rule")).isEqualTo("billing_issues");
    assertThat(no.getBoolean("should_handoff")).isFalse();
    assertThat(no.getValue("trigger")).isNull();
    assertThat(no.getString("assigned_queue")).isEqualTo("general_support");
    JsonObject page = get("listHandoffs", "/api/v1/handoffs?conversation_id=" + conversationId).bodyAsJsonObject();
    assertThat(page.getInteger("total_count")).isZero();
  }

  @Test
  void checkNeedsAtLeastOneMessage() {
    HttpResponse<Buffer> response = post("checkHandoff", "/api/v1/check",
        new JsonObject().put("messages", new JsonArray()));
    assertThat(response.statusCode()).isEqualTo(422);
  }

  // ---- operations ----

  @Test
  void healthAndReadiness() {
    JsonObject health = get("health", "/health").bodyAsJsonObject();
    HttpResponse<Buffer> ready = get("ready", "/ready");

    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getString("service")).isEqualTo("baton");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getString("status")).isEqualTo("up");
  }
}
