package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.baton.support.FakeHelpdesk;
import io.baton.support.FakeHelpdesk.Flavour;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handoffs with an external helpdesk (a real HTTP server standing in for Zendesk), on PostgreSQL:
 * the seed story's cases 4 and 5, the sync wait, and durable retries that make exactly one ticket
 * per handoff.
 */
@Timeout(90)
class ExternalHelpdeskApiTest {

  private final Vertx fakes = Vertx.vertx();
  private final FakeHelpdesk zendesk = FakeHelpdesk.start(fakes, Flavour.ZENDESK);
  private BatonInstance baton;
  private ContractCheck contract;

  @AfterEach
  void stop() {
    if (baton != null) {
      baton.close();
    }
    zendesk.close();
    Await.result(fakes.close());
  }

  private void start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "BATON_HELPDESK_ADAPTER", "zendesk",
        "BATON_HELPDESK_ZENDESK_BASE_URL", zendesk.baseUrl(),
        "BATON_HELPDESK_ZENDESK_EMAIL", "agent@example.com",
        "BATON_HELPDESK_ZENDESK_API_TOKEN", "tok",
        "BATON_HELPDESK_RETRY_BASE_DELAY_MS", "50",
        "BATON_HELPDESK_RETRY_MAX_DELAY_MS", "200",
        "BATON_HELPDESK_RETRY_POLL_MS", "50",
        "BATON_HELPDESK_BREAKER_RESET_TIMEOUT_MS", "200",
        "BATON_HELPDESK_BREAKER_CALL_TIMEOUT_MS", "2000"));
    env.putAll(extra);
    baton = BatonInstance.postgres(env);
    contract = new ContractCheck(baton.vertx);
  }

  private static JsonObject body(String conversationId) {
    return new JsonObject().put("conversation_id", conversationId).put("user_id", "user-456")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "test")));
  }

  private HttpResponse<Buffer> create(JsonObject body) {
    return contract.validate("createHandoff", Await.result(baton.client.post("/api/v1/handoff").sendJsonObject(body)));
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    return Await.result(baton.client.post(path).sendJsonObject(body));
  }

  private JsonObject handoff(String id) {
    return contract.validate("getHandoff", Await.result(baton.client.get("/api/v1/handoffs/" + id).send()))
        .bodyAsJsonObject();
  }

  private static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private List<Event> events(String handoffId) {
    return Await.result(baton.app.storage().eventFeed().read(0, Long.MAX_VALUE, handoffId, 1_000));
  }

  @Test
  void aHandoffGetsItsZendeskTicketBeforeTheAnswer() {
    start(Map.of());

    JsonObject handoff = create(body("conv-" + UUID.randomUUID()).put("priority", "URGENT")).bodyAsJsonObject();

    assertThat(handoff.getString("ticket_id")).isEqualTo("1000");
    assertThat(handoff.getString("ticket_url")).isEqualTo(zendesk.baseUrl() + "/api/v2/tickets/1000.json");
    assertThat(zendesk.tickets()).containsKey(handoff.getString("handoff_id"));
    assertThat(zendesk.received().getFirst().json().getJsonObject("ticket").getString("priority")).isEqualTo("urgent");
  }

  @Test
  void seedCase4_handoffCreationFailed() {
    start(Map.of());
    String conversationId = "conv-" + UUID.randomUUID();
    String id = create(body(conversationId)).bodyAsJsonObject().getString("handoff_id");
    post("/api/v1/handoffs/" + id + "/assign", new JsonObject().put("agent_id", "agent-1"));
    post("/api/v1/handoffs/" + id + "/resolve", new JsonObject());

    HttpResponse<Buffer> response = create(body(conversationId));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(zendesk.creates()).isEqualTo(1);
  }

  @Test
  void seedCase5_helpdeskIntegrationError() {
    start(Map.of());
    zendesk.answerNext(1, 500, Map.of());

    HttpResponse<Buffer> response = create(body("conv-" + UUID.randomUUID()));

    assertThat(response.statusCode()).isEqualTo(502);
    JsonObject problem = response.bodyAsJsonObject();
    String id = problem.getString("handoff_id");
    assertThat(id).startsWith("ho-");
    assertThat(problem.getString("ticket_status")).isEqualTo("retrying");
    assertThat(problem.getString("detail")).contains("Zendesk answered 500");
    // The handoff is kept, pending, and its ticket comes with the retry.
    assertThat(handoff(id).getString("status")).isEqualTo("pending");
    eventually("the retry makes the ticket", () -> handoff(id).getString("ticket_id") != null);
    assertThat(zendesk.creates()).isEqualTo(2);
    assertThat(events(id)).extracting(Event::type).contains(EventTypes.HANDOFF_TICKET_LINKED);
  }

  @Test
  void aRepeatedCreateLeavesATicketBeingRetriedToTheRetry() {
    // Retries wait long here: only the repeated create could call the helpdesk during the test.
    start(Map.of("BATON_HELPDESK_RETRY_BASE_DELAY_MS", "60000", "BATON_HELPDESK_RETRY_MAX_DELAY_MS", "60000"));
    zendesk.answerNext(1, 503, Map.of());
    JsonObject body = body("conv-" + UUID.randomUUID());
    String id = create(body).bodyAsJsonObject().getString("handoff_id");

    HttpResponse<Buffer> again = create(body);

    assertThat(again.statusCode()).isEqualTo(502);
    assertThat(again.bodyAsJsonObject().getString("handoff_id")).isEqualTo(id);
    assertThat(again.bodyAsJsonObject().getString("ticket_status")).isEqualTo("retrying");
    assertThat(again.bodyAsJsonObject().getString("detail")).contains("being retried");
    assertThat(zendesk.received()).hasSize(1);
    assertThat(handoff(id).getString("ticket_status")).isEqualTo("retrying");
    assertThat(handoff(id).getInteger("ticket_attempts")).isEqualTo(1);
  }

  @Test
  void aHelpdeskSlowerThanTheSyncTimeoutIs502AndItsTicketIsNotMadeTwice() {
    start(Map.of("BATON_HELPDESK_SYNC_TIMEOUT_MS", "300"));
    // Well inside the 2 s call timeout, and long enough for the retry below to arrive while it runs.
    zendesk.delay(1_500);

    JsonObject body = body("conv-" + UUID.randomUUID());
    HttpResponse<Buffer> response = create(body);
    // The client tries again at once, while the first call is still running.
    HttpResponse<Buffer> again = create(body);

    assertThat(response.statusCode()).isEqualTo(502);
    String id = response.bodyAsJsonObject().getString("handoff_id");
    assertThat(again.statusCode()).isEqualTo(502);
    assertThat(again.bodyAsJsonObject().getString("handoff_id")).isEqualTo(id);
    assertThat(again.bodyAsJsonObject().getString("detail")).contains("the first attempt is running");
    // The slow call succeeds after the answer; it is recorded on the handoff all the same.
    eventually("the late ticket is recorded", () -> handoff(id).getString("ticket_id") != null);
    assertThat(zendesk.creates()).isEqualTo(1);
    assertThat(handoff(id).getValue("ticket_status")).isNull();
  }

  @Test
  void aCallThatSucceededUnseenIsFoundByItsExternalIdNotMadeAgain() {
    start(Map.of());
    zendesk.loseAnswers(true);

    HttpResponse<Buffer> response = create(body("conv-" + UUID.randomUUID()));
    assertThat(response.statusCode()).isEqualTo(502);
    String id = response.bodyAsJsonObject().getString("handoff_id");
    zendesk.loseAnswers(false);

    eventually("the retry finds the ticket", () -> handoff(id).getString("ticket_id") != null);
    assertThat(zendesk.creates()).isEqualTo(1);
    assertThat(handoff(id).getString("ticket_id")).isEqualTo(zendesk.tickets().get(id).getValue("id").toString());
  }

  @Test
  void helpdeskDownDuringABurst_everyHandoffKept_everyTicketMadeExactlyOnceAfterRecovery() {
    start(Map.of());
    zendesk.down(true);

    List<Future<HttpResponse<Buffer>>> burst = IntStream.range(0, 30)
        .mapToObj(i -> baton.client.post("/api/v1/handoff").sendJsonObject(body("burst-" + UUID.randomUUID())))
        .toList();
    Await.result(Future.all(burst));
    List<String> ids = burst.stream().map(f -> {
      assertThat(f.result().statusCode()).isEqualTo(502);
      return f.result().bodyAsJsonObject().getString("handoff_id");
    }).toList();
    assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    ids.forEach(id -> assertThat(handoff(id).getString("status")).isEqualTo("pending"));
    zendesk.down(false);

    eventually("every handoff gets its ticket", () -> ids.stream().allMatch(id -> handoff(id).getString("ticket_id") != null));
    assertThat(zendesk.madePerExternalId().keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(zendesk.madePerExternalId().values()).as("tickets made per handoff").containsOnly(1);
    ids.forEach(id -> assertThat(handoff(id).getValue("ticket_status")).isNull());
    // The breaker opened during the outage and closed after it, and said so in the event log.
    eventually("the breaker's changes are logged", () -> breakerStates().contains("closed"));
    assertThat(breakerStates()).startsWith("open").contains("half_open").endsWith("closed");
  }

  private List<String> breakerStates() {
    return Await.result(baton.app.storage().eventFeed().read(0, Long.MAX_VALUE, null, 100_000)).stream()
        .filter(e -> e.type().equals(EventTypes.HELPDESK_BREAKER_CHANGED))
        .map(e -> e.data().getString("state"))
        .toList();
  }

  @Test
  void twoInstancesRetryingTogetherMakeEachTicketOnce() {
    start(Map.of());
    Map<String, String> env = new HashMap<>(Map.of(
        "BATON_HELPDESK_ADAPTER", "zendesk",
        "BATON_HELPDESK_ZENDESK_BASE_URL", zendesk.baseUrl(),
        "BATON_HELPDESK_ZENDESK_EMAIL", "agent@example.com",
        "BATON_HELPDESK_ZENDESK_API_TOKEN", "tok",
        "BATON_HELPDESK_RETRY_BASE_DELAY_MS", "50",
        "BATON_HELPDESK_RETRY_MAX_DELAY_MS", "200",
        "BATON_HELPDESK_RETRY_POLL_MS", "20",
        "BATON_HELPDESK_BREAKER_RESET_TIMEOUT_MS", "200"));
    try (BatonInstance other = BatonInstance.postgresOn(baton.schema(), env)) {
      zendesk.down(true);
      List<Future<HttpResponse<Buffer>>> burst = IntStream.range(0, 40)
          .mapToObj(i -> (i % 2 == 0 ? baton : other).client.post("/api/v1/handoff")
              .sendJsonObject(body("two-" + UUID.randomUUID())))
          .toList();
      Await.result(Future.all(burst));
      List<String> ids = burst.stream().map(f -> f.result().bodyAsJsonObject().getString("handoff_id")).toList();
      zendesk.down(false).delay(30);

      eventually("every handoff gets its ticket",
          () -> ids.stream().allMatch(id -> handoff(id).getString("ticket_id") != null));
      assertThat(zendesk.madePerExternalId().keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(zendesk.madePerExternalId().values()).as("tickets made per handoff").containsOnly(1);
    }
  }

  @Test
  void afterMaxAttemptsTheTicketIsGivenUpVisibly() {
    start(Map.of("BATON_HELPDESK_RETRY_MAX_ATTEMPTS", "3"));
    zendesk.down(true);

    String id = create(body("conv-" + UUID.randomUUID())).bodyAsJsonObject().getString("handoff_id");

    eventually("the ticket is given up", () -> "failed".equals(handoff(id).getString("ticket_status")));
    JsonObject handoff = handoff(id);
    assertThat(handoff.getInteger("ticket_attempts")).isEqualTo(3);
    assertThat(handoff.getString("ticket_error")).isNotBlank();
    assertThat(events(id)).extracting(Event::type).containsOnlyOnce(EventTypes.TICKET_FAILED);
  }
}
