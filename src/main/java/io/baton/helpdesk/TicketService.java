package io.baton.helpdesk;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in helpdesk's tickets API (the seed's shapes). Bodies arrive validated against the
 * contract; what the schema cannot say is checked here.
 */
public final class TicketService {

  private final TicketStore store;
  private final Clock clock;

  public TicketService(TicketStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public Future<JsonObject> create(String tenant, JsonObject body) {
    return create(tenant, body, null).map(Ticket::toJson);
  }

  /** Creates a ticket; with a handoff id, the handoff's one ticket (an existing one is answered). */
  public Future<Ticket> create(String tenant, JsonObject body, String handoffId) {
    return store.create(tenant, draft(body, handoffId));
  }

  /** The ticket a create would write, not written yet. */
  public Ticket draft(JsonObject body, String handoffId) {
    Instant now = now();
    JsonObject customer = body.getJsonObject("customer", new JsonObject()).copy();
    String given = customer.getString("internal_id");
    String customerId = given != null && !given.isBlank() ? given
        : TicketIds.customer(customer.getString("primary_email"), customer.getString("channel_identity"));
    customer.remove("internal_id");
    JsonArray timeline = new JsonArray();
    String initial = body.getString("initial_message");
    if (initial != null && !initial.isEmpty()) {
      boolean fromBot = body.getJsonObject("source", new JsonObject()).getBoolean("is_bot_handoff", false);
      timeline.add(entry(fromBot ? "bot" : "customer", initial, "public", null, now));
    }
    return new Ticket(TicketIds.ticket(), handoffId, TicketStatus.NEW,
        body.getString("priority", "medium").toLowerCase(Locale.ROOT), null, customerId, body.getString("subject"),
        tags(body.getJsonArray("tags")), body.getJsonObject("source", new JsonObject()), customer, timeline, now, now,
        1);
  }

  /** The event of a new ticket, for a ticket written by another store's transaction. */
  public static Event createdEvent(Ticket ticket) {
    return TicketEvents.of(EventTypes.TICKET_CREATED, ticket);
  }

  public Future<JsonObject> get(String tenant, String ticketId) {
    return store.get(tenant, ticketId).map(found -> found.orElseThrow(TicketEvents::notFound).toJson());
  }

  /** {@code status}, {@code priority}, {@code subject}, {@code tags}: at least one of them. */
  public Future<JsonObject> update(String tenant, String ticketId, JsonObject body) {
    boolean any = body != null && (body.containsKey("status") || body.containsKey("priority")
        || body.containsKey("subject") || body.containsKey("tags"));
    if (!any) {
      return Future.failedFuture(new BatonException(BatonError.BAD_REQUEST, "No updates provided"));
    }
    Instant now = now();
    return store.modify(tenant, ticketId, EventTypes.TICKET_UPDATED, current -> current.changed(
            body.containsKey("status") ? TicketStatus.parse(body.getString("status")).orElseThrow() : current.status(),
            body.getString("priority", current.priority()).toLowerCase(Locale.ROOT),
            current.assignedAgentId(),
            body.getString("subject", current.subject()),
            body.containsKey("tags") ? tags(body.getJsonArray("tags")) : current.tags(),
            current.timeline(), now))
        .map(Ticket::toJson);
  }

  /**
   * Adds a timeline entry. A public agent reply to a new ticket opens it; a customer's message to a
   * ticket waiting for them opens it again.
   */
  public Future<JsonObject> addMessage(String tenant, String ticketId, JsonObject body) {
    Instant now = now();
    String sender = body.getString("sender_type");
    String visibility = body.getString("visibility", "public");
    JsonObject entry = entry(sender, body.getString("content"), visibility, body.getString("agent_id"), now);
    if (body.getJsonArray("attachments") != null && !body.getJsonArray("attachments").isEmpty()) {
      entry.put("attachments", body.getJsonArray("attachments"));
    }
    return store.modify(tenant, ticketId, EventTypes.TICKET_MESSAGE_ADDED, current -> {
      TicketStatus status = current.status();
      if ("agent".equals(sender) && "public".equals(visibility) && status == TicketStatus.NEW) {
        status = TicketStatus.OPEN;
      } else if ("customer".equals(sender) && status == TicketStatus.PENDING_CUSTOMER) {
        status = TicketStatus.OPEN;
      }
      return current.changed(status, current.priority(), current.assignedAgentId(), current.subject(), current.tags(),
          current.timeline().copy().add(entry), now);
    }).map(Ticket::toJson);
  }

  /** For a bot polling while a human writes: the status and the newest public agent reply. */
  public Future<JsonObject> status(String tenant, String ticketId) {
    return store.get(tenant, ticketId).map(found -> {
      Ticket ticket = found.orElseThrow(TicketEvents::notFound);
      JsonObject lastAgent = null;
      for (int i = ticket.timeline().size() - 1; i >= 0 && lastAgent == null; i--) {
        JsonObject entry = ticket.timeline().getJsonObject(i);
        if ("agent".equals(entry.getString("sender_type")) && "public".equals(entry.getString("visibility"))) {
          lastAgent = new JsonObject()
              .put("message_id", entry.getString("message_id"))
              .put("timestamp", entry.getString("timestamp"))
              .put("content", entry.getString("content"));
        }
      }
      return new JsonObject()
          .put("ticket_id", ticket.id())
          .put("status", ticket.status().wireName())
          .put("last_updated", ticket.updatedAt().toString())
          .put("has_agent_reply", lastAgent != null)
          .put("last_agent_message", lastAgent);
    });
  }

  /** Assigning a new ticket opens it. */
  public Future<JsonObject> assign(String tenant, String ticketId, String agentId) {
    Instant now = now();
    return store.modify(tenant, ticketId, EventTypes.TICKET_ASSIGNED, current -> current.changed(
            current.status() == TicketStatus.NEW ? TicketStatus.OPEN : current.status(), current.priority(), agentId,
            current.subject(), current.tags(), current.timeline(), now))
        .map(ticket -> new JsonObject().put("success", true).put("ticket", ticket.toJson()));
  }

  public Future<JsonObject> list(String tenant, JsonObject params) {
    TicketQuery query = new TicketQuery(
        TicketStatus.parse(params.getString("status")).orElse(null),
        params.getString("assigned_agent_id"),
        Math.max(1, params.getInteger("page", 1)),
        Math.clamp(params.getInteger("page_size", TicketQuery.DEFAULT_PAGE_SIZE), 1, TicketQuery.MAX_PAGE_SIZE));
    return store.list(tenant, query).map(TicketPage::toJson);
  }

  /** A customer's tickets, newest first, as the seed's short entries: {@code {tickets: [...]}}. */
  public Future<JsonObject> customerTickets(String tenant, String customerId, int limit) {
    return store.byCustomer(tenant, customerId, Math.clamp(limit, 1, TicketQuery.MAX_PAGE_SIZE)).map(tickets -> {
      JsonArray out = new JsonArray();
      tickets.forEach(t -> out.add(t.toSummary()));
      return new JsonObject().put("tickets", out);
    });
  }

  /** A customer is known by their tickets: 404 without any. The profile is their newest ticket's. */
  public Future<JsonObject> customer(String tenant, String customerId) {
    return store.byCustomer(tenant, customerId, 1).map(tickets -> {
      if (tickets.isEmpty()) {
        throw BatonException.notFound("Customer not found");
      }
      JsonObject profile = tickets.getFirst().customer();
      return new JsonObject()
          .put("customer_id", customerId)
          .put("status", "active")
          .put("name", profile.getString("name"))
          .put("primary_email", profile.getString("primary_email"))
          .put("channel_identity", profile.getString("channel_identity"));
    });
  }

  private static JsonObject entry(String sender, String content, String visibility, String agentId, Instant at) {
    JsonObject entry = new JsonObject()
        .put("message_id", TicketIds.message())
        .put("timestamp", at.toString())
        .put("sender_type", sender)
        .put("content", content)
        .put("content_type", "text")
        .put("visibility", visibility);
    if (agentId != null) {
      entry.put("agent_id", agentId);
    }
    return entry;
  }

  private static List<String> tags(JsonArray tags) {
    List<String> out = new ArrayList<>();
    if (tags != null) {
      tags.forEach(tag -> out.add(String.valueOf(tag)));
    }
    return List.copyOf(out);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
