package io.baton.helpdesk.adapters;

import io.baton.handoff.InlineTicket;
import io.baton.handoff.TicketOpener.TicketRef;
import io.baton.helpdesk.Ticket;
import io.baton.helpdesk.TicketRequest;
import io.baton.helpdesk.TicketService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Baton's own tickets. The store keeps one ticket per handoff id, so opening again finds the first;
 * the url points at Baton's tickets API.
 */
public final class BuiltinAdapter implements HelpdeskAdapter {

  private final TicketService tickets;
  private final String publicUrl;

  public BuiltinAdapter(TicketService tickets, String publicUrl) {
    this.tickets = tickets;
    this.publicUrl = publicUrl;
  }

  @Override
  public String name() {
    return "builtin";
  }

  /** The store keeps one ticket per handoff id, whoever asks. */
  @Override
  public boolean needsExclusiveCalls() {
    return false;
  }

  @Override
  public Future<TicketRef> open(TicketRequest request) {
    return tickets.create(request.tenant(), body(request), request.handoffId()).map(ticket -> new TicketRef(ticket.id(), url(ticket)));
  }

  /** The ticket of a new handoff, to be written in the handoff's create transaction. */
  public InlineTicket inline(TicketRequest request) {
    Ticket draft = tickets.draft(body(request), request.handoffId());
    return new InlineTicket(draft.id(), url(draft), draft.toRow(), TicketService.createdEvent(draft));
  }

  private String url(Ticket ticket) {
    return publicUrl + "/api/v1/tickets/" + ticket.id();
  }

  private static JsonObject body(TicketRequest request) {
    return new JsonObject()
        .put("source", new JsonObject()
            .put("channel", request.channel() == null ? "api" : request.channel())
            .put("origin_platform_id", request.conversationId())
            .put("is_bot_handoff", true))
        .put("customer", withoutNulls(new JsonObject()
            .put("internal_id", request.userId())
            .put("name", request.requesterName())
            .put("primary_email", request.requesterEmail())
            .put("channel_identity", request.requesterPhone())))
        .put("subject", request.subject())
        .put("initial_message", request.description())
        .put("priority", request.builtinPriority())
        .put("tags", new JsonArray(request.tags()));
  }

  private static JsonObject withoutNulls(JsonObject object) {
    object.getMap().values().removeIf(java.util.Objects::isNull);
    return object;
  }
}
