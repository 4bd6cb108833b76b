package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Automatic assignment and waiting estimates over HTTP, on a Baton of its own per test (the agents
 * it puts online would otherwise take other tests' handoffs). Answers are validated against openapi.yaml.
 */
@Timeout(60)
public abstract class AutoAssignApiContract {

  private BatonInstance baton;
  private ContractCheck contract;

  protected abstract BatonInstance startBaton();

  @BeforeEach
  void start() {
    baton = startBaton();
    contract = new ContractCheck(baton.vertx);
  }

  @AfterEach
  void stop() {
    baton.close();
  }

  private JsonObject create(String text) {
    JsonObject body = new JsonObject().put("conversation_id", "conv-" + UUID.randomUUID()).put("user_id", "u-1")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", text)));
    return contract.validate("createHandoff",
        Await.result(baton.client.post("/api/v1/handoff").sendJsonObject(body))).bodyAsJsonObject();
  }

  private JsonObject read(String handoffId) {
    HttpResponse<Buffer> response = contract.validate("getHandoff",
        Await.result(baton.client.get("/api/v1/handoffs/" + handoffId).send()));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private JsonObject putAgent(String agentId, int maxConcurrent, String status) {
    JsonObject body = new JsonObject().put("name", agentId).put("queues", new JsonArray().add("general_support"))
        .put("max_concurrent", maxConcurrent).put("status", status);
    HttpResponse<Buffer> response = contract.validate("putAgent",
        Await.result(baton.client.put("/api/v1/agents/" + agentId).sendJsonObject(body)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private JsonObject resolve(String handoffId) {
    return contract.validate("resolveHandoff", Await.result(baton.client
        .post("/api/v1/handoffs/" + handoffId + "/resolve").sendJsonObject(new JsonObject()))).bodyAsJsonObject();
  }

  /**
   * A create hands its handoff to auto-assignment without waiting for it; the test reads until it
   * is assigned, a bounded number of times (there is no clock or checkpoint to wait on instead).
   */
  private JsonObject readUntilAssigned(String handoffId) {
    for (int attempt = 0; attempt < 200; attempt++) {
      JsonObject handoff = read(handoffId);
      if ("assigned".equals(handoff.getString("status"))) {
        return handoff;
      }
      Await.result(baton.vertx.timer(25));
    }
    throw new AssertionError("Handoff " + handoffId + " was not assigned");
  }

  @Test
  void waitingHandoffsGoToAnAgentComingOnlineAndNewOnesToAnAgentWithRoom() {
    JsonObject first = create("hello there");
    JsonObject second = create("hello again");
    assertThat(first.getString("assigned_queue")).isEqualTo("general_support");

    JsonObject waiting = read(second.getString("handoff_id"));
    assertThat(waiting.getString("status")).isEqualTo("pending");
    assertThat(waiting.getInteger("queue_position")).isEqualTo(2);
    assertThat(waiting.containsKey("estimated_wait_seconds")).isTrue();
    assertThat(waiting.getValue("estimated_wait_seconds")).isNull();

    JsonObject agent = putAgent("ana", 2, "online");
    assertThat(agent.getLong("current_load")).isEqualTo(2);
    assertThat(agent.getBoolean("available")).isFalse();
    JsonObject assigned = read(first.getString("handoff_id"));
    assertThat(assigned.getString("status")).isEqualTo("assigned");
    assertThat(assigned.getString("assigned_agent")).isEqualTo("ana");
    assertThat(assigned.containsKey("queue_position")).isFalse();

    JsonObject third = create("one more question");
    JsonObject queued = read(third.getString("handoff_id"));
    assertThat(queued.getString("status")).isEqualTo("pending");
    assertThat(queued.getInteger("queue_position")).isEqualTo(1);
    assertThat(queued.getLong("estimated_wait_seconds")).isNotNull().isGreaterThanOrEqualTo(0);

    resolve(first.getString("handoff_id"));
    assertThat(read(third.getString("handoff_id")).getString("assigned_agent")).isEqualTo("ana");

    resolve(second.getString("handoff_id"));
    JsonObject fourth = create("and another one");
    assertThat(readUntilAssigned(fourth.getString("handoff_id")).getString("assigned_agent")).isEqualTo("ana");
  }

  @Test
  void handingAConversationBackGivesItsAgentTheNextWaitingHandoff() {
    putAgent("cy", 1, "online");
    JsonObject first = create("hello");
    readUntilAssigned(first.getString("handoff_id"));
    JsonObject second = create("hello too");
    assertThat(read(second.getString("handoff_id")).getString("status")).isEqualTo("pending");

    HttpResponse<Buffer> back = contract.validate("releaseConversationHandoff", Await.result(baton.client
        .post("/api/v1/conversations/" + first.getString("conversation_id") + "/handoff/release").send()));

    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.bodyAsJsonObject().getString("owner")).isEqualTo("BOT");
    assertThat(read(second.getString("handoff_id")).getString("assigned_agent")).isEqualTo("cy");
  }

  @Test
  void anAgentWhoIsNotOnlineGetsNothing() {
    JsonObject handoff = create("hello");

    JsonObject agent = putAgent("bo", 3, "away");

    assertThat(agent.getLong("current_load")).isZero();
    assertThat(read(handoff.getString("handoff_id")).getString("status")).isEqualTo("pending");
    JsonObject queue = contract.validate("getHandoffQueue", Await.result(baton.client
        .get("/api/v1/conversations/handoff/queue?queue=general_support").send())).bodyAsJsonObject();
    JsonObject listed = queue.getJsonArray("pending").getJsonObject(0);
    assertThat(listed.getInteger("queue_position")).isEqualTo(1);
    assertThat(listed.getValue("estimated_wait_seconds")).isNull();
  }
}
