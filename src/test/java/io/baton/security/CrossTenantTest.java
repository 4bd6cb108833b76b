package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.Contract;
import io.baton.security.AccessRules.Rule;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Another tenant's credential, even an admin's, reaches none of the default tenant's data: every
 * secured route of openapi.yaml (read from the contract, so a new route cannot be left out) is tried
 * with the real ids of the default tenant's handoff, conversation, agent, ticket and customer, and
 * nothing is read or changed. (Until the stores keep tenants apart, other tenants are refused
 * outright, with 403.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class CrossTenantTest {

  private BatonInstance baton;
  private ContractCheck contract;

  @BeforeAll
  void start() {
    baton = BatonInstance.memory(Credentials.env("default"));
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  void stop() {
    baton.close();
  }

  private String admin() {
    return "Bearer " + Credentials.token(baton.vertx, Credentials.claims("default", "admin"));
  }

  @Test
  void everySecuredRouteRefusesAnotherTenant() {
    String conversationId = "conv-" + UUID.randomUUID();
    JsonObject handoff = Await.result(baton.client.post("/api/v1/handoff").putHeader("Authorization", admin())
        .sendJsonObject(new JsonObject().put("conversation_id", conversationId).put("user_id", "u-1")
            .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "help")))))
        .bodyAsJsonObject();
    String agentId = "agent-" + UUID.randomUUID();
    assertThat(Await.result(baton.client.put("/api/v1/agents/" + agentId).putHeader("Authorization", admin())
        .sendJsonObject(new JsonObject().put("name", "Ann").put("queues", new JsonArray().add("general"))
            .put("max_concurrent", 1).put("status", "offline"))).statusCode()).isEqualTo(200);
    String ticketId = handoff.getString("ticket_id");
    JsonObject ticket = Await.result(baton.client.get("/api/v1/tickets/" + ticketId)
        .putHeader("Authorization", admin()).send()).bodyAsJsonObject();
    Map<String, String> ids = Map.of(
        "handoff_id", handoff.getString("handoff_id"),
        "conversation_id", conversationId,
        "agent_id", agentId,
        "ticket_id", ticketId,
        "customer_id", ticket.getJsonObject("customer").getString("internal_id"));

    String foreignAdmin = "Bearer " + Credentials.token(baton.vertx, Credentials.claims("globex", "admin"));
    Contract served = Await.result(Contract.load(baton.vertx));
    Map<String, Rule> rules = AccessRules.from(served.openApi()).all();
    List<String> tried = new ArrayList<>();
    for (Operation operation : served.openApi().operations()) {
      if (rules.get(operation.getOperationId()).isPublic()) {
        continue;
      }
      String path = operation.getOpenAPIPath();
      for (Map.Entry<String, String> id : ids.entrySet()) {
        path = path.replace("{" + id.getKey() + "}", id.getValue());
      }
      assertThat(path).as("every path parameter has a real id").doesNotContain("{");
      HttpMethod method = operation.getHttpMethod();
      HttpResponse<Buffer> response = Await.result(baton.client.request(method, path)
          .putHeader("Authorization", foreignAdmin)
          .sendJsonObject(new JsonObject().put("conversation_id", conversationId).put("agent_id", agentId)));
      contract.validate(operation.getOperationId(), response);
      assertThat(response.statusCode()).as("%s %s", method, path).isEqualTo(403);
      assertThat(response.bodyAsString()).as("%s %s", method, path).doesNotContain(handoff.getString("handoff_id"));
      tried.add(operation.getOperationId());
    }

    assertThat(tried).hasSize((int) rules.values().stream().filter(rule -> !rule.isPublic()).count())
        .contains("getHandoff", "cancelHandoff", "putAgent", "streamEvents", "updateTicket", "getCustomer");
    JsonObject after = Await.result(baton.client.get("/api/v1/handoffs/" + handoff.getString("handoff_id"))
        .putHeader("Authorization", admin()).send()).bodyAsJsonObject();
    assertThat(after.getString("status")).isEqualTo("pending");
    assertThat(after.getString("assigned_agent")).isNull();
  }
}
