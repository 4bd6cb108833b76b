package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.Contract;
import io.baton.security.AccessRules.Rule;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.baton.support.SseStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Tenants are kept apart, on both stores. Another tenant's credential, even an admin's, reaches none
 * of the default tenant's data: every secured route of openapi.yaml (read from the contract, so a
 * new route cannot be left out) is tried with the real ids of the default tenant's handoff,
 * conversation, agent, ticket and customer; each answers 404 as for an id that does not exist, and
 * nothing is read or changed. Two tenants may use one conversation id, agents only take their own
 * tenant's handoffs, and event streams carry their own tenant's events only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class CrossTenantTest {

  /** Routes without an id in their path that name a conversation (or agent) in their body instead. */
  private static final Set<String> BODY_ADDRESSED = Set.of("takeover", "handback");
  /** Routes that create what their ids (in the path or the body) name, in the caller's tenant. */
  private static final Set<String> CREATING = Set.of("createHandoff", "requestConversationHandoff", "putAgent",
      "createTicket", "addConversationMessage", "sendOperatorMessage");

  private BatonInstance baton;
  private ContractCheck contract;

  protected abstract BatonInstance startBaton(Map<String, String> env);

  @BeforeAll
  void start() {
    baton = startBaton(Credentials.env("default", "globex"));
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  void stop() {
    baton.close();
  }

  private String admin(String tenant) {
    return "Bearer " + Credentials.token(baton.vertx, Credentials.claims(tenant, "admin"));
  }

  private HttpResponse<Buffer> createHandoff(String tenant, String conversationId) {
    return contract.validate("createHandoff", Await.result(baton.client.post("/api/v1/handoff")
        .putHeader("Authorization", admin(tenant))
        .sendJsonObject(new JsonObject().put("conversation_id", conversationId).put("user_id", "u-" + tenant)
            .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "help"))))));
  }

  private JsonObject get(String tenant, String path) {
    HttpResponse<Buffer> response = Await.result(baton.client.get(path).putHeader("Authorization", admin(tenant)).send());
    assertThat(response.statusCode()).as("GET %s as %s", path, tenant).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private void putAgent(String tenant, String agentId, String status) {
    HttpResponse<Buffer> response = contract.validate("putAgent", Await.result(baton.client
        .put("/api/v1/agents/" + agentId).putHeader("Authorization", admin(tenant))
        .sendJsonObject(new JsonObject().put("name", "Ann").put("queues", new JsonArray().add("general_support"))
            .put("max_concurrent", 5).put("status", status))));
    assertThat(response.statusCode()).isEqualTo(200);
  }

  /** What the default tenant's data looks like, to compare before and after the other tenant's tries. */
  private JsonObject snapshot(Map<String, String> ids) {
    JsonObject handoff = get("default", "/api/v1/handoffs/" + ids.get("handoff_id"));
    return new JsonObject()
        .put("handoff", new JsonObject().put("status", handoff.getString("status"))
            .put("version", handoff.getValue("version")).put("assigned_agent", handoff.getString("assigned_agent"))
            .put("updated_at", handoff.getString("updated_at")))
        .put("conversation", get("default", "/api/v1/conversations/" + ids.get("conversation_id")))
        .put("messages", get("default", "/api/v1/conversations/" + ids.get("conversation_id") + "/messages"))
        .put("agent", get("default", "/api/v1/agents/" + ids.get("agent_id")))
        .put("ticket", get("default", "/api/v1/tickets/" + ids.get("ticket_id")));
  }

  /**
   * One body valid for every operation that takes one (unknown fields are allowed), so that each
   * answer is about the ids, not the body's shape.
   */
  private static JsonObject everyField(String conversationId, String agentId) {
    return new JsonObject()
        .put("conversation_id", conversationId).put("agent_id", agentId).put("user_id", "u-globex")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "help")))
        .put("content", "hello").put("sender_type", "agent").put("message", "hello").put("phone", "15550001111").put("message_owner", "agent")
        .put("name", "Imposter").put("queues", new JsonArray().add("general_support")).put("max_concurrent", 1)
        .put("status", "online").put("resolution", "closed by another tenant").put("approved", true)
        .put("answer", "approve").put("approval", "approved").put("approver_id", "approver-1").put("reason", "cross-tenant").put("subject", "s").put("priority", "high");
  }

  /** Calls the operation with the default tenant's ids, as the other tenant; checks nothing of ours is in the answer. */
  private HttpResponse<Buffer> tryAsOtherTenant(Operation operation, Map<String, String> ids, String credential) {
    String path = operation.getOpenAPIPath();
    for (Map.Entry<String, String> id : ids.entrySet()) {
      path = path.replace("{" + id.getKey() + "}", id.getValue());
    }
    assertThat(path).as("every path parameter has a real id").doesNotContain("{");
    HttpResponse<Buffer> response = Await.result(baton.client.request(operation.getHttpMethod(), path)
        .putHeader("Authorization", credential)
        .addQueryParam("agent_id", ids.get("agent_id"))
        .sendJsonObject(everyField(ids.get("conversation_id"), ids.get("agent_id"))
            // The one field whose values differ: a ticket's status, or an agent's.
            .put("status", operation.getOperationId().contains("Ticket") ? "open" : "online")));
    contract.validate(operation.getOperationId(), response);
    // The default tenant's user is named in its handoff, conversation, messages and ticket.
    assertThat(response.bodyAsString()).as(operation.getOperationId()).doesNotContain("u-default");
    if (response.statusCode() != 404) {
      assertThat(response.bodyAsString()).as(operation.getOperationId())
          .doesNotContain(ids.get("handoff_id")).doesNotContain(ids.get("ticket_id"));
    }
    return response;
  }

  @Test
  void everySecuredRouteAnswersAnotherTenantsIdsWithNotFound() {
    String conversationId = "conv-" + UUID.randomUUID();
    HttpResponse<Buffer> created = createHandoff("default", conversationId);
    assertThat(created.statusCode()).isEqualTo(200);
    JsonObject handoff = created.bodyAsJsonObject();
    String agentId = "agent-" + UUID.randomUUID();
    putAgent("default", agentId, "offline");
    String ticketId = handoff.getString("ticket_id");
    JsonObject ticket = get("default", "/api/v1/tickets/" + ticketId);
    Map<String, String> ids = Map.of(
        "handoff_id", handoff.getString("handoff_id"),
        "conversation_id", conversationId,
        "agent_id", agentId,
        "ticket_id", ticketId,
        "customer_id", ticket.getJsonObject("customer").getString("internal_id"));
    JsonObject before = snapshot(ids);

    String foreignAdmin = admin("globex");
    Contract served = Await.result(Contract.load(baton.vertx));
    Map<String, Rule> rules = AccessRules.from(served.openApi()).all();
    List<String> tried = new ArrayList<>();
    List<Operation> creating = new ArrayList<>();
    for (Operation operation : served.openApi().operations()) {
      String operationId = operation.getOperationId();
      // The stream of every event has no ids to try; streamsCarryTheirOwnTenantsEventsOnly covers it.
      if (rules.get(operationId).isPublic() || operationId.equals("streamEvents")) {
        continue;
      }
      if (CREATING.contains(operationId)) {
        creating.add(operation);
        continue;
      }
      HttpResponse<Buffer> response = tryAsOtherTenant(operation, ids, foreignAdmin);
      String body = response.bodyAsString();
      if (!operation.getOpenAPIPath().contains("{") && !BODY_ADDRESSED.contains(operationId)) {
        // Lists, queues and checks: the other tenant's own, empty, world.
        assertThat(response.statusCode()).as("%s: %s", operationId, body).isEqualTo(200);
      } else if (operationId.equals("listCustomerTickets")) {
        // A customer is only known by its tickets: an unknown one has none.
        assertThat(response.statusCode()).as("%s: %s", operationId, body).isEqualTo(200);
        assertThat(response.bodyAsJsonArray()).as(operationId).isEmpty();
      } else {
        assertThat(response.statusCode()).as("%s: %s", operationId, body).isEqualTo(404);
        // Word for word what an id that exists nowhere gets: nothing tells the two apart.
        Map<String, String> unknown = new java.util.HashMap<>();
        ids.forEach((name, id) -> unknown.put(name, id + "-unknown"));
        String detail = tryAsOtherTenant(operation, unknown, foreignAdmin).bodyAsJsonObject().getString("detail");
        for (Map.Entry<String, String> id : ids.entrySet()) {
          detail = detail.replace(unknown.get(id.getKey()), id.getValue());
        }
        assertThat(response.bodyAsJsonObject().getString("detail")).as(operationId).isEqualTo(detail);
      }
      tried.add(operationId);
    }
    // Last, as they make the other tenant's own conversation, agent or ticket of those ids (ids are
    // the clients'), which the reads above must not find yet.
    for (Operation operation : creating) {
      HttpResponse<Buffer> response = tryAsOtherTenant(operation, ids, foreignAdmin);
      assertThat(response.statusCode()).as("%s: %s", operation.getOperationId(), response.bodyAsString())
          .isIn(200, 201);
      tried.add(operation.getOperationId());
    }
    assertThat(get("globex", "/api/v1/agents/" + agentId).getString("name")).isEqualTo("Imposter");

    assertThat(tried).hasSize((int) rules.values().stream().filter(rule -> !rule.isPublic()).count() - 1)
        .contains("getHandoff", "cancelHandoff", "putAgent", "streamHandoffEvents", "updateTicket", "getCustomer",
            "listHandoffs", "getHandoffQueue", "listTickets", "takeover");
    assertThat(snapshot(ids)).isEqualTo(before);
  }

  @Test
  void oneConversationIdOfTwoTenantsIsTwoConversations() {
    String conversationId = "conv-" + UUID.randomUUID();
    JsonObject ours = createHandoff("default", conversationId).bodyAsJsonObject();
    JsonObject theirs = createHandoff("globex", conversationId).bodyAsJsonObject();

    assertThat(theirs.getString("handoff_id")).isNotEqualTo(ours.getString("handoff_id"));
    assertThat(theirs.getString("status")).isEqualTo("pending");
    assertThat(get("default", "/api/v1/conversations/" + conversationId).getJsonObject("active_handoff")
        .getString("handoff_id")).isEqualTo(ours.getString("handoff_id"));
    assertThat(get("globex", "/api/v1/conversations/" + conversationId).getJsonObject("active_handoff")
        .getString("handoff_id")).isEqualTo(theirs.getString("handoff_id"));

    HttpResponse<Buffer> cancelled = Await.result(baton.client
        .post("/api/v1/handoffs/" + theirs.getString("handoff_id") + "/cancel")
        .putHeader("Authorization", admin("globex")).sendJsonObject(new JsonObject()));
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(get("default", "/api/v1/handoffs/" + ours.getString("handoff_id")).getString("status"))
        .isEqualTo("pending");
    assertThat(get("default", "/api/v1/conversations/" + conversationId).getString("owner")).isEqualTo("QUEUED");
    assertThat(get("globex", "/api/v1/conversations/" + conversationId).getString("owner")).isEqualTo("BOT");
    // Each tenant's listing of the conversation shows its own handoff only.
    assertThat(get("globex", "/api/v1/handoffs?conversation_id=" + conversationId).getJsonArray("handoffs"))
        .extracting(h -> ((JsonObject) h).getString("handoff_id")).containsExactly(theirs.getString("handoff_id"));
  }

  @Test
  void anIdempotencyKeyOfOneTenantNeverReplaysToAnother() {
    JsonObject body = new JsonObject().put("conversation_id", "conv-" + UUID.randomUUID()).put("user_id", "u-1")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "help")));
    String key = "key-" + UUID.randomUUID();
    java.util.function.Function<String, JsonObject> create = tenant -> {
      HttpResponse<Buffer> response = contract.validate("createHandoff", Await.result(baton.client
          .post("/api/v1/handoff").putHeader("Authorization", admin(tenant)).putHeader("Idempotency-Key", key)
          .sendJsonObject(body)));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject();
    };

    JsonObject ours = create.apply("default");
    JsonObject theirs = create.apply("globex");

    assertThat(theirs.getString("handoff_id")).isNotEqualTo(ours.getString("handoff_id"));
    assertThat(create.apply("globex").getString("handoff_id")).isEqualTo(theirs.getString("handoff_id"));
    assertThat(get("globex", "/api/v1/handoffs/" + theirs.getString("handoff_id")).getString("status"))
        .isEqualTo("pending");
  }

  @Test
  void agentsOnlyTakeTheirOwnTenantsHandoffs() {
    // A tenant of its own: the other cases' handoffs would be this agent's too.
    String tenant = "initech";
    JsonObject waiting = createHandoff("default", "conv-" + UUID.randomUUID()).bodyAsJsonObject();
    assertThat(waiting.getString("assigned_queue")).isEqualTo("general_support");
    String agentId = "agent-" + UUID.randomUUID();
    // Coming online hands the agent the queue's oldest handoff: of its own tenant, never the default one's.
    putAgent(tenant, agentId, "online");
    JsonObject own = createHandoff(tenant, "conv-" + UUID.randomUUID()).bodyAsJsonObject();

    JsonObject assigned = null;
    for (int attempt = 0; attempt < 200 && assigned == null; attempt++) {
      JsonObject read = get(tenant, "/api/v1/handoffs/" + own.getString("handoff_id"));
      if ("assigned".equals(read.getString("status"))) {
        assigned = read;
      } else {
        Await.result(baton.vertx.timer(25));
      }
    }
    assertThat(assigned).as("the tenant's own handoff is assigned").isNotNull();
    assertThat(assigned.getString("assigned_agent")).isEqualTo(agentId);
    JsonObject stillWaiting = get("default", "/api/v1/handoffs/" + waiting.getString("handoff_id"));
    assertThat(stillWaiting.getString("status")).isEqualTo("pending");
    assertThat(stillWaiting.getString("assigned_agent")).isNull();
    assertThat(get(tenant, "/api/v1/agents/" + agentId).getInteger("current_load")).isEqualTo(1);
  }

  @Test
  void streamsCarryTheirOwnTenantsEventsOnly() {
    HttpClient http = baton.vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(baton.port));
    try (SseStream theirs = SseStream.open(http, "/api/v1/events", Map.of("Authorization", admin("globex")))) {
      assertThat(theirs.statusCode()).isEqualTo(200);
      JsonObject ours = createHandoff("default", "conv-" + UUID.randomUUID()).bodyAsJsonObject();
      JsonObject own = createHandoff("globex", "conv-" + UUID.randomUUID()).bodyAsJsonObject();

      theirs.await(frame -> own.getString("handoff_id").equals(frame.data().getString("handoff_id")),
          Duration.ofSeconds(10));
      // The log is delivered in order: the default tenant's earlier events would have come first.
      assertThat(theirs.events()).extracting(frame -> frame.data().getString("handoff_id"))
          .doesNotContain(ours.getString("handoff_id"));
      assertThat(theirs.events()).extracting(frame -> frame.data().getString("tenant")).containsOnly("globex");
    } finally {
      http.close();
    }
  }
}
