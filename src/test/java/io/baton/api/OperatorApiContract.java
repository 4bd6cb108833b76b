package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The operator and conversation API over real HTTP, every answer validated against openapi.yaml.
 * Runs on both storage modes. Includes the seed's operator flow (takeover, operator message,
 * handback) with its exact error texts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class OperatorApiContract {

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

  private HttpResponse<Buffer> post(String operationId, String path, JsonObject body) {
    return contract.validate(operationId, Await.result(baton.client.post(path).sendJsonObject(body)));
  }

  private HttpResponse<Buffer> postEmpty(String operationId, String path) {
    return contract.validate(operationId, Await.result(baton.client.post(path).send()));
  }

  private HttpResponse<Buffer> get(String operationId, String path) {
    return contract.validate(operationId, Await.result(baton.client.get(path).send()));
  }

  private static String conversation() {
    return "conv-" + UUID.randomUUID();
  }

  private static String phone() {
    return "91" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
  }

  private JsonObject createHandoff(String conversationId, String text) {
    JsonObject body = new JsonObject().put("conversation_id", conversationId).put("user_id", "user-1")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", text)));
    return post("createHandoff", "/api/v1/handoff", body).bodyAsJsonObject();
  }

  private HttpResponse<Buffer> assign(String handoffId, String agentId) {
    return post("assignHandoff", "/api/v1/handoffs/" + handoffId + "/assign", new JsonObject().put("agent_id", agentId));
  }

  // ---- handoff transitions ----

  @Test
  void assignReleaseAndResolveFollowTheStateMachine() {
    String conversationId = conversation();
    String id = createHandoff(conversationId, "my card was charged twice").getString("handoff_id");

    HttpResponse<Buffer> assigned = assign(id, "agent-1");
    HttpResponse<Buffer> again = assign(id, "agent-1");
    HttpResponse<Buffer> other = assign(id, "agent-2");

    assertThat(assigned.statusCode()).isEqualTo(200);
    assertThat(assigned.bodyAsJsonObject().getString("status")).isEqualTo("assigned");
    assertThat(assigned.bodyAsJsonObject().getString("assigned_agent")).isEqualTo("agent-1");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(assigned.bodyAsJsonObject());
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(other.bodyAsJsonObject().getString("current_status")).isEqualTo("assigned");
    assertThat(other.bodyAsJsonObject().getString("assigned_agent")).isEqualTo("agent-1");

    JsonObject owned = get("getConversation", "/api/v1/conversations/" + conversationId).bodyAsJsonObject();
    assertThat(owned.getString("owner")).isEqualTo("AGENT");
    assertThat(owned.getString("agent_id")).isEqualTo("agent-1");
    assertThat(owned.getBoolean("bot_active")).isFalse();
    assertThat(owned.getJsonObject("active_handoff").getString("handoff_id")).isEqualTo(id);

    HttpResponse<Buffer> resolved = post("resolveHandoff", "/api/v1/handoffs/" + id + "/resolve",
        new JsonObject().put("resolution", "refund issued"));
    assertThat(resolved.statusCode()).isEqualTo(200);
    assertThat(resolved.bodyAsJsonObject().getString("status")).isEqualTo("resolved");
    assertThat(resolved.bodyAsJsonObject().getString("resolution")).isEqualTo("refund issued");
    assertThat(get("getConversation", "/api/v1/conversations/" + conversationId).bodyAsJsonObject()
        .getString("owner")).isEqualTo("CLOSED");
    HttpResponse<Buffer> releaseResolved = postEmpty("releaseHandoff", "/api/v1/handoffs/" + id + "/release");
    assertThat(releaseResolved.statusCode()).isEqualTo(409);
    assertThat(releaseResolved.bodyAsJsonObject().getString("current_status")).isEqualTo("resolved");
  }

  @Test
  void releaseHandsBackAndResolveNeedsNoBody() {
    String conversationId = conversation();
    String id = createHandoff(conversationId, "hello").getString("handoff_id");
    assign(id, "agent-1");

    HttpResponse<Buffer> released = postEmpty("releaseHandoff", "/api/v1/handoffs/" + id + "/release");

    assertThat(released.statusCode()).isEqualTo(200);
    assertThat(released.bodyAsJsonObject().getString("status")).isEqualTo("released");
    JsonObject view = get("getConversation", "/api/v1/conversations/" + conversationId).bodyAsJsonObject();
    assertThat(view.getString("owner")).isEqualTo("BOT");
    assertThat(view.getValue("active_handoff")).isNull();

    String next = createHandoff(conversationId, "again").getString("handoff_id");
    assign(next, "agent-1");
    assertThat(postEmpty("resolveHandoff", "/api/v1/handoffs/" + next + "/resolve").statusCode()).isEqualTo(200);
  }

  @Test
  void fiftyConcurrentAssignsOfOneHandoffGiveExactlyOne200() {
    String id = createHandoff(conversation(), "hello").getString("handoff_id");
    List<Future<HttpResponse<Buffer>>> racers = IntStream.range(0, 50)
        .mapToObj(i -> baton.client.post("/api/v1/handoffs/" + id + "/assign")
            .sendJsonObject(new JsonObject().put("agent_id", "agent-" + i)))
        .toList();
    Await.result(Future.all(racers));

    List<Integer> statuses = racers.stream().map(f -> contract.validate("assignHandoff", f.result()).statusCode())
        .toList();
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(49);
  }

  @Test
  void unknownIdsAndMissingFieldsAreProblems() {
    assertThat(assign("ho-unknown", "agent-1").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> missing = post("assignHandoff", "/api/v1/handoffs/ho-x/assign", new JsonObject());
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(get("getConversation", "/api/v1/conversations/" + conversation()).statusCode()).isEqualTo(404);
    assertThat(get("listConversationMessages", "/api/v1/conversations/" + conversation() + "/messages")
        .statusCode()).isEqualTo(404);
  }

  // ---- conversations ----

  @Test
  void aConversationCanRequestAHandoffFromItsOwnTimelineAndBeAssignedAndReleased() {
    String conversationId = conversation();
    post("addConversationMessage", "/api/v1/conversations/" + conversationId + "/messages",
        new JsonObject().put("content", "I want to talk to a human about my invoice").put("message_owner", "user"));

    HttpResponse<Buffer> requested = postEmpty("requestConversationHandoff",
        "/api/v1/conversations/" + conversationId + "/handoff/request");

    assertThat(requested.statusCode()).isEqualTo(200);
    JsonObject handoff = requested.bodyAsJsonObject();
    assertThat(handoff.getString("status")).isEqualTo("pending");
    assertThat(handoff.getString("user_id")).isEqualTo(conversationId);
    assertThat(handoff.getString("assigned_queue")).isEqualTo("billing_support");
    assertThat(handoff.getJsonObject("trigger").getString("type")).isEqualTo("direct_request");
    assertThat(get("getConversation", "/api/v1/conversations/" + conversationId).bodyAsJsonObject()
        .getString("owner")).isEqualTo("QUEUED");

    JsonObject queue = get("getHandoffQueue", "/api/v1/conversations/handoff/queue?queue=billing_support&limit=200")
        .bodyAsJsonObject();
    assertThat(queue.getJsonArray("pending").stream().map(h -> ((JsonObject) h).getString("handoff_id")))
        .contains(handoff.getString("handoff_id"));

    JsonObject assigned = post("assignConversationHandoff",
        "/api/v1/conversations/" + conversationId + "/handoff/assign", new JsonObject().put("agent_id", "agent-5"))
        .bodyAsJsonObject();
    assertThat(assigned.getString("owner")).isEqualTo("AGENT");
    assertThat(assigned.getJsonObject("active_handoff").getString("assigned_agent")).isEqualTo("agent-5");
    JsonObject mine = get("getHandoffQueue", "/api/v1/conversations/handoff/queue?agent_id=agent-5")
        .bodyAsJsonObject();
    assertThat(mine.getJsonArray("assigned").getJsonObject(0).getString("handoff_id"))
        .isEqualTo(handoff.getString("handoff_id"));

    JsonObject released = postEmpty("releaseConversationHandoff",
        "/api/v1/conversations/" + conversationId + "/handoff/release").bodyAsJsonObject();
    assertThat(released.getString("owner")).isEqualTo("BOT");
    assertThat(released.getValue("active_handoff")).isNull();
    HttpResponse<Buffer> none = post("assignConversationHandoff",
        "/api/v1/conversations/" + conversationId + "/handoff/assign", new JsonObject().put("agent_id", "agent-5"));
    assertThat(none.statusCode()).isEqualTo(409);
    assertThat(none.bodyAsJsonObject().getString("current_owner")).isEqualTo("BOT");
  }

  @Test
  void aHandoffRequestWithABodyUsesItsTranscriptAndPriority() {
    String conversationId = conversation();
    JsonObject body = new JsonObject().put("user_id", "user-9").put("priority", "urgent").put("reason", "asked")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hello")));

    JsonObject handoff = post("requestConversationHandoff",
        "/api/v1/conversations/" + conversationId + "/handoff/request", body).bodyAsJsonObject();

    assertThat(handoff.getString("priority")).isEqualTo("URGENT");
    assertThat(handoff.getString("user_id")).isEqualTo("user-9");
    assertThat(handoff.getJsonObject("metadata").getString("reason")).isEqualTo("asked");
  }

  @Test
  void messagesArePagedOldestFirstAndTheCustomerIsNotForwardedWhileAPersonOwnsTheConversation() {
    String conversationId = conversation();
    String path = "/api/v1/conversations/" + conversationId + "/messages";
    JsonObject first = post("addConversationMessage", path,
        new JsonObject().put("content", "hi").put("message_owner", "user")).bodyAsJsonObject();
    post("addConversationMessage", path, new JsonObject().put("content", "hello, how can I help?")
        .put("message_owner", "ai"));
    post("takeover", "/api/v1/takeover", new JsonObject().put("conversation_id", conversationId)
        .put("agent_id", "agent-1"));
    JsonObject agent = post("addConversationMessage", path, new JsonObject().put("content", "I'm Ana")
        .put("message_owner", "agent").put("agent_id", "agent-1")).bodyAsJsonObject();
    JsonObject later = post("addConversationMessage", path,
        new JsonObject().put("content", "thanks").put("message_owner", "user")).bodyAsJsonObject();

    assertThat(first.getBoolean("forward_to_bot")).isTrue();
    assertThat(later.getBoolean("forward_to_bot")).isFalse();
    assertThat(agent.getString("delivery_status")).isEqualTo("queued");
    assertThat(agent.getString("message_id")).startsWith("msg-");
    JsonObject page = get("listConversationMessages", path + "?page=2&page_size=3").bodyAsJsonObject();
    assertThat(page.getLong("total_count")).isEqualTo(4);
    assertThat(page.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("thanks");
    JsonObject firstPage = get("listConversationMessages", path).bodyAsJsonObject();
    assertThat(firstPage.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("message_owner")))
        .containsExactly("user", "ai", "agent", "user");
    assertThat(post("addConversationMessage", path, new JsonObject().put("content", "x")
        .put("message_owner", "robot")).statusCode()).isEqualTo(422);
  }

  // ---- the seed's operator flow ----

  @Test
  void seedOperatorFlow_messageTakeoverHandback() {
    String phone = phone();

    HttpResponse<Buffer> sent = post("sendOperatorMessage", "/api/v1/operator-message", new JsonObject()
        .put("phone", "+" + phone).put("message", "Hello! How can I help you?").putNull("messageId").putNull("media"));
    HttpResponse<Buffer> takeover = post("takeover", "/api/v1/takeover", new JsonObject().put("phone", phone));
    HttpResponse<Buffer> again = post("takeover", "/api/v1/takeover", new JsonObject().put("phone", "+" + phone));
    JsonObject owned = get("getConversation", "/api/v1/conversations/" + phone).bodyAsJsonObject();
    HttpResponse<Buffer> handback = post("handback", "/api/v1/handback", new JsonObject().put("phone", phone));

    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(sent.bodyAsJsonObject().getString("status")).isEqualTo("success");
    assertThat(sent.bodyAsJsonObject().getString("message")).isEqualTo("Message queued for processing");
    assertThat(sent.bodyAsJsonObject().getString("message_id")).isNotBlank();
    assertThat(takeover.statusCode()).isEqualTo(200);
    assertThat(takeover.bodyAsJsonObject().getString("status")).isEqualTo("takeover_complete");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(owned.getString("owner")).isEqualTo("AGENT");
    assertThat(handback.statusCode()).isEqualTo(200);
    assertThat(handback.bodyAsJsonObject().getString("status")).isEqualTo("handback_complete");
    assertThat(get("getConversation", "/api/v1/conversations/" + phone).bodyAsJsonObject().getString("owner"))
        .isEqualTo("BOT");
    JsonObject stored = get("listConversationMessages", "/api/v1/conversations/" + phone + "/messages")
        .bodyAsJsonObject().getJsonArray("messages").getJsonObject(0);
    assertThat(stored.getString("message_owner")).isEqualTo("agent");
    assertThat(stored.getString("delivery_status")).isEqualTo("queued");
    assertThat(stored.getString("message_id")).isEqualTo(sent.bodyAsJsonObject().getString("message_id"));
  }

  @Test
  void seedOperatorMessage_aGivenMessageIdAndMediaAreKeptAndARetryIsStoredOnce() {
    String phone = phone();
    JsonObject body = new JsonObject().put("phone", phone).put("messageId", "wamid.HBgM" + phone)
        .put("media", new JsonObject().put("id", "media-1").put("mimeType", "image/jpeg"));

    JsonObject first = post("sendOperatorMessage", "/api/v1/operator-message", body).bodyAsJsonObject();
    JsonObject retry = post("sendOperatorMessage", "/api/v1/operator-message", body).bodyAsJsonObject();

    assertThat(first.getString("message_id")).isEqualTo("wamid.HBgM" + phone);
    assertThat(retry).isEqualTo(first);
    JsonObject page = get("listConversationMessages", "/api/v1/conversations/" + phone + "/messages")
        .bodyAsJsonObject();
    assertThat(page.getLong("total_count")).isEqualTo(1);
    assertThat(page.getJsonArray("messages").getJsonObject(0).getJsonObject("media").getString("mimeType"))
        .isEqualTo("image/jpeg");
  }

  @Test
  void seedOperatorErrorsSayExactlyWhatTheSeedClientsRead() {
    String unknown = phone();
    for (String[] op : List.of(new String[] {"takeover", "/api/v1/takeover"},
        new String[] {"handback", "/api/v1/handback"},
        new String[] {"sendOperatorMessage", "/api/v1/operator-message"})) {
      HttpResponse<Buffer> noPhone = post(op[0], op[1], new JsonObject().put("message", "hi"));
      assertThat(noPhone.statusCode()).as(op[1]).isEqualTo(400);
      assertThat(noPhone.bodyAsJsonObject().getString("detail")).isEqualTo("Phone number is required");
      HttpResponse<Buffer> blank = contract.validate(op[0], Await.result(baton.client.post(op[1]).send()));
      assertThat(blank.statusCode()).as(op[1] + " without a body").isEqualTo(400);
      assertThat(blank.bodyAsJsonObject().getString("detail")).isEqualTo("Phone number is required");
    }
    HttpResponse<Buffer> empty = post("sendOperatorMessage", "/api/v1/operator-message",
        new JsonObject().put("phone", unknown).put("message", "  ").putNull("media"));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.bodyAsJsonObject().getString("detail")).isEqualTo("Message text or media is required");
    for (String[] op : List.of(new String[] {"takeover", "/api/v1/takeover"},
        new String[] {"handback", "/api/v1/handback"})) {
      HttpResponse<Buffer> missing = post(op[0], op[1], new JsonObject().put("phone", "+" + unknown));
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.bodyAsJsonObject().getString("detail"))
          .isEqualTo("No conversation found for phone number " + unknown);
    }
    assertThat(post("takeover", "/api/v1/takeover", new JsonObject().put("phone", "call me")).statusCode())
        .isEqualTo(422);
  }

  @Test
  void takeoverAssignsThePendingHandoffAndAnotherAgentCannotTakeItOver() {
    String phone = phone();
    createHandoff(phone, "I need a person");

    post("takeover", "/api/v1/takeover", new JsonObject().put("phone", phone).put("agent_id", "agent-1"));
    HttpResponse<Buffer> other = post("takeover", "/api/v1/takeover",
        new JsonObject().put("phone", phone).put("agent_id", "agent-2"));

    JsonObject view = get("getConversation", "/api/v1/conversations/" + phone).bodyAsJsonObject();
    assertThat(view.getJsonObject("active_handoff").getString("status")).isEqualTo("assigned");
    assertThat(view.getJsonObject("active_handoff").getString("assigned_agent")).isEqualTo("agent-1");
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(other.bodyAsJsonObject().getString("current_owner")).isEqualTo("AGENT");
    assertThat(other.bodyAsJsonObject().getString("agent_id")).isEqualTo("agent-1");
  }

  // ---- approvals ----

  @Test
  void anApprovalIsAnsweredOnceAndItsAnswerGoesBack() {
    String conversationId = conversation();
    JsonObject create = new JsonObject().put("conversation_id", conversationId).put("user_id", "EMP001")
        .put("kind", "approval").put("question", "Grant admin access to the database?")
        .put("options", new JsonArray().add("approve").add("deny"))
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "need access")));
    JsonObject approval = post("createHandoff", "/api/v1/handoff", create).bodyAsJsonObject();
    assertThat(approval.getString("kind")).isEqualTo("approval");
    assertThat(approval.getJsonObject("metadata").getJsonObject("approval").getString("question"))
        .isEqualTo("Grant admin access to the database?");
    String path = "/api/v1/handoffs/" + approval.getString("handoff_id") + "/answer";
    JsonObject seedAnswer = new JsonObject().put("answer", "Approved with conditions").put("approval", true)
        .put("comments", "Access granted for 30 days").put("approver_id", "MANAGER001");

    HttpResponse<Buffer> answered = post("answerHandoff", path, seedAnswer);
    HttpResponse<Buffer> repeated = post("answerHandoff", path, seedAnswer.copy().put("approval", "approved"));
    HttpResponse<Buffer> changed = post("answerHandoff", path, seedAnswer.copy().put("approval", "denied"));

    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.bodyAsJsonObject().getString("status")).isEqualTo("resolved");
    JsonObject answer = answered.bodyAsJsonObject().getJsonObject("answer");
    assertThat(answer.getString("approval")).isEqualTo("approved");
    assertThat(answer.getBoolean("approved")).isTrue();
    assertThat(answer.getString("approver_id")).isEqualTo("MANAGER001");
    assertThat(repeated.statusCode()).isEqualTo(200);
    assertThat(repeated.bodyAsJsonObject().getJsonObject("answer")).isEqualTo(answer);
    assertThat(changed.statusCode()).isEqualTo(409);
    assertThat(changed.bodyAsJsonObject().getString("current_status")).isEqualTo("resolved");
    assertThat(get("getConversation", "/api/v1/conversations/" + conversationId).bodyAsJsonObject()
        .getString("owner")).isEqualTo("BOT");
  }

  @Test
  void anApprovalNeedsAQuestionAndOnlyApprovalsTakeAnswers() {
    JsonObject create = new JsonObject().put("conversation_id", conversation()).put("user_id", "u")
        .put("kind", "approval")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hi")));
    assertThat(post("createHandoff", "/api/v1/handoff", create).statusCode()).isEqualTo(422);

    String id = createHandoff(conversation(), "hello").getString("handoff_id");
    JsonObject answer = new JsonObject().put("answer", "yes").put("approval", "approved").put("approver_id", "m");
    assertThat(post("answerHandoff", "/api/v1/handoffs/" + id + "/answer", answer).statusCode()).isEqualTo(422);
    assertThat(post("answerHandoff", "/api/v1/handoffs/" + id + "/answer", answer.copy().put("approval", "maybe"))
        .statusCode()).isEqualTo(422);
  }

  // ---- agents ----

  @Test
  void agentsArePutAndReadWithTheirLoad() {
    String agentId = "agent-" + UUID.randomUUID();
    // A queue no handoff of the other tests goes to: an online agent takes waiting handoffs of their queues.
    JsonObject body = new JsonObject().put("name", "Ana").put("queues", new JsonArray().add("q-" + agentId))
        .put("max_concurrent", 1).put("status", "online");

    HttpResponse<Buffer> put = contract.validate("putAgent",
        Await.result(baton.client.put("/api/v1/agents/" + agentId).sendJsonObject(body)));
    assign(createHandoff(conversation(), "hello").getString("handoff_id"), agentId);
    JsonObject read = get("getAgent", "/api/v1/agents/" + agentId).bodyAsJsonObject();

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.bodyAsJsonObject().getBoolean("available")).isTrue();
    assertThat(read.getLong("current_load")).isEqualTo(1);
    assertThat(read.getBoolean("available")).isFalse();
    assertThat(get("listAgents", "/api/v1/agents").bodyAsJsonObject().getJsonArray("agents").stream()
        .map(a -> ((JsonObject) a).getString("agent_id"))).contains(agentId);
    assertThat(get("getAgent", "/api/v1/agents/agent-unknown").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> invalid = contract.validate("putAgent", Await.result(baton.client
        .put("/api/v1/agents/" + agentId).sendJsonObject(body.copy().put("status", "busy"))));
    assertThat(invalid.statusCode()).isEqualTo(422);
  }
}
