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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The built-in helpdesk's tickets API over real HTTP, every answer validated against openapi.yaml. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class TicketApiContract {

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

  private HttpResponse<Buffer> put(String operationId, String path, JsonObject body) {
    return contract.validate(operationId, Await.result(body == null
        ? baton.client.put(path).send() : baton.client.put(path).sendJsonObject(body)));
  }

  private HttpResponse<Buffer> get(String operationId, String path) {
    return contract.validate(operationId, Await.result(baton.client.get(path).send()));
  }

  /** The seed's create request. */
  private static JsonObject seedTicket(String email) {
    return new JsonObject()
        .put("source", new JsonObject().put("channel", "whatsapp").put("origin_platform_id", "+15550100")
            .put("is_bot_handoff", false))
        .put("customer", new JsonObject().put("internal_id", "").put("name", "John Doe")
            .put("primary_email", email).put("channel_identity", "+15550100"))
        .put("subject", "Cannot complete checkout")
        .put("initial_message", "I'm getting an error when trying to pay")
        .put("priority", "high")
        .put("tags", new JsonArray().add("billing").add("checkout"));
  }

  private JsonObject create(String email) {
    HttpResponse<Buffer> response = post("createTicket", "/api/v1/tickets", seedTicket(email));
    assertThat(response.statusCode()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static String email() {
    return UUID.randomUUID() + "@example.com";
  }

  @Test
  void createAnswers201WithTheSeedShape() {
    JsonObject ticket = create(email());

    assertThat(ticket.getString("ticket_id")).startsWith("tkt_");
    assertThat(ticket.getString("status")).isEqualTo("new");
    assertThat(ticket.getString("priority")).isEqualTo("high");
    assertThat(ticket.getValue("assigned_agent_id")).isNull();
    assertThat(ticket.getJsonArray("tags")).containsExactly("billing", "checkout");
    assertThat(ticket.getJsonObject("customer").getString("internal_id")).startsWith("cust_");
    JsonObject first = ticket.getJsonArray("timeline").getJsonObject(0);
    assertThat(first.getString("message_id")).startsWith("msg_");
    assertThat(first.getString("sender_type")).isEqualTo("customer");
    assertThat(first.getString("visibility")).isEqualTo("public");
    assertThat(first.getString("content")).isEqualTo("I'm getting an error when trying to pay");

    assertThat(get("getTicket", "/api/v1/tickets/" + ticket.getString("ticket_id")).bodyAsJsonObject())
        .isEqualTo(ticket);
  }

  @Test
  void anUnknownTicketIsTicketNotFound() {
    for (String path : new String[] {"/api/v1/tickets/tkt_nope", "/api/v1/tickets/tkt_nope/status"}) {
      HttpResponse<Buffer> response = get(path.endsWith("status") ? "getTicketStatus" : "getTicket", path);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("Ticket not found");
    }
  }

  @Test
  void anEmptyUpdateIsNoUpdatesProvided() {
    String id = create(email()).getString("ticket_id");

    HttpResponse<Buffer> response = put("updateTicket", "/api/v1/tickets/" + id, new JsonObject());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("No updates provided");
  }

  @Test
  void anUpdateChangesOnlyWhatItNames() {
    String id = create(email()).getString("ticket_id");

    JsonObject updated = put("updateTicket", "/api/v1/tickets/" + id, new JsonObject().put("status", "resolved")
        .put("priority", "medium").put("tags", new JsonArray().add("billing").add("resolved"))).bodyAsJsonObject();

    assertThat(updated.getString("status")).isEqualTo("resolved");
    assertThat(updated.getString("priority")).isEqualTo("medium");
    assertThat(updated.getJsonArray("tags")).containsExactly("billing", "resolved");
    assertThat(updated.getString("subject")).isEqualTo("Cannot complete checkout");
    assertThat(put("updateTicket", "/api/v1/tickets/tkt_nope", new JsonObject().put("status", "open")).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aBotPollingSeesTheAgentsPublicReplyNotInternalNotes() {
    String id = create(email()).getString("ticket_id");
    JsonObject polled = get("getTicketStatus", "/api/v1/tickets/" + id + "/status").bodyAsJsonObject();
    assertThat(polled.getBoolean("has_agent_reply")).isFalse();
    assertThat(polled.getValue("last_agent_message")).isNull();

    post("addTicketMessage", "/api/v1/tickets/" + id + "/message", new JsonObject()
        .put("content", "Customer is a VIP").put("sender_type", "agent").put("visibility", "internal"));
    assertThat(get("getTicketStatus", "/api/v1/tickets/" + id + "/status").bodyAsJsonObject()
        .getBoolean("has_agent_reply")).isFalse();
    JsonObject afterReply = post("addTicketMessage", "/api/v1/tickets/" + id + "/message", new JsonObject()
        .put("content", "I've processed your refund.").put("sender_type", "agent").put("visibility", "public")
        .put("agent_id", "agent-uuid")).bodyAsJsonObject();

    JsonObject reply = afterReply.getJsonArray("timeline").getJsonObject(2);
    assertThat(reply.getString("agent_id")).isEqualTo("agent-uuid");
    assertThat(afterReply.getString("status")).isEqualTo("open");
    polled = get("getTicketStatus", "/api/v1/tickets/" + id + "/status").bodyAsJsonObject();
    assertThat(polled.getBoolean("has_agent_reply")).isTrue();
    assertThat(polled.getString("status")).isEqualTo("open");
    assertThat(polled.getJsonObject("last_agent_message").getString("message_id"))
        .isEqualTo(reply.getString("message_id"));
    assertThat(polled.getJsonObject("last_agent_message").getString("content"))
        .isEqualTo("I've processed your refund.");
  }

  @Test
  void aCustomersAnswerReopensATicketWaitingForThem() {
    String id = create(email()).getString("ticket_id");
    put("updateTicket", "/api/v1/tickets/" + id, new JsonObject().put("status", "pending_customer"));

    JsonObject answered = post("addTicketMessage", "/api/v1/tickets/" + id + "/message", new JsonObject()
        .put("content", "Here is my order number").put("sender_type", "customer")).bodyAsJsonObject();

    assertThat(answered.getString("status")).isEqualTo("open");
    assertThat(answered.getJsonArray("timeline").getJsonObject(1).getString("visibility")).isEqualTo("public");
  }

  @Test
  void aMessageWithAnUnknownSenderOrVisibilityIsInvalid() {
    String id = create(email()).getString("ticket_id");

    HttpResponse<Buffer> response = post("addTicketMessage", "/api/v1/tickets/" + id + "/message",
        new JsonObject().put("content", "x").put("sender_type", "robot").put("visibility", "secret"));

    assertThat(response.statusCode()).isEqualTo(422);
  }

  @Test
  void assignOpensANewTicketAndTheListFiltersByAgent() {
    String agent = "agent-" + UUID.randomUUID();
    String first = create(email()).getString("ticket_id");
    String second = create(email()).getString("ticket_id");

    JsonObject assigned = put("assignTicket", "/api/v1/tickets/" + first + "/assign?agent_id=" + agent, null)
        .bodyAsJsonObject();
    put("assignTicket", "/api/v1/tickets/" + second + "/assign?agent_id=" + agent, null);

    assertThat(assigned.getBoolean("success")).isTrue();
    assertThat(assigned.getJsonObject("ticket").getString("assigned_agent_id")).isEqualTo(agent);
    assertThat(assigned.getJsonObject("ticket").getString("status")).isEqualTo("open");
    JsonObject page = get("listTickets", "/api/v1/tickets?status=open&assigned_agent_id=" + agent
        + "&page=1&page_size=1").bodyAsJsonObject();
    assertThat(page.getLong("total_count")).isEqualTo(2);
    assertThat(page.getInteger("page_size")).isEqualTo(1);
    assertThat(page.getJsonArray("tickets").getJsonObject(0).getString("ticket_id")).isEqualTo(second);
    assertThat(get("listTickets", "/api/v1/tickets?page_size=101").statusCode()).isEqualTo(422);
  }

  @Test
  void aCustomerIsKnownByTheirTickets() {
    String email = email();
    JsonObject first = create(email);
    JsonObject second = create(email.toUpperCase());
    String customerId = first.getJsonObject("customer").getString("internal_id");
    assertThat(second.getJsonObject("customer").getString("internal_id")).isEqualTo(customerId);

    JsonArray tickets = get("listCustomerTickets", "/api/v1/customers/" + customerId + "/tickets?limit=20")
        .bodyAsJsonArray();
    JsonObject profile = get("getCustomer", "/api/v1/customers/" + customerId).bodyAsJsonObject();

    assertThat(tickets.stream().map(t -> ((JsonObject) t).getString("ticket_id")))
        .containsExactly(second.getString("ticket_id"), first.getString("ticket_id"));
    assertThat(tickets.getJsonObject(0).getString("subject")).isEqualTo("Cannot complete checkout");
    assertThat(profile.getString("customer_id")).isEqualTo(customerId);
    assertThat(profile.getString("status")).isEqualTo("active");
    HttpResponse<Buffer> unknown = get("getCustomer", "/api/v1/customers/cust_nobody");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("detail")).isEqualTo("Customer not found");
  }
}
