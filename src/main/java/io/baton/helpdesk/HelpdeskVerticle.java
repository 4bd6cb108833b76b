package io.baton.helpdesk;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.baton.helpdesk.adapters.HelpdeskCallFailed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The helpdesk capability on the bus: the built-in tickets API, opening handoffs' tickets (a failed
 * first attempt leaves a durable retry) and the state of a handoff's ticket retry.
 */
public final class HelpdeskVerticle extends VerticleBase {

  private final TicketService tickets;
  private final TicketRetries retries;

  public HelpdeskVerticle(TicketService tickets, TicketRetries retries) {
    this.tickets = tickets;
    this.retries = retries;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<JsonObject>> consumers = List.of(
        BusHandlers.serve(bus, Addresses.HELPDESK_CREATE_TICKET,
            m -> tickets.create(BusHandlers.tenant(m), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_GET_TICKET,
            m -> tickets.get(BusHandlers.tenant(m), ticketId(m.body()))),
        BusHandlers.serve(bus, Addresses.HELPDESK_UPDATE_TICKET,
            m -> tickets.update(BusHandlers.tenant(m), ticketId(m.body()), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_ADD_TICKET_MESSAGE,
            m -> tickets.addMessage(BusHandlers.tenant(m), ticketId(m.body()), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_TICKET_STATUS,
            m -> tickets.status(BusHandlers.tenant(m), ticketId(m.body()))),
        BusHandlers.serve(bus, Addresses.HELPDESK_ASSIGN_TICKET,
            m -> tickets.assign(BusHandlers.tenant(m), ticketId(m.body()), m.body().getString("agent_id"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_LIST_TICKETS, m -> tickets.list(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.HELPDESK_CUSTOMER_TICKETS,
            m -> tickets.customerTickets(BusHandlers.tenant(m),
                m.body().getString("customer_id"), m.body().getInteger("limit", 20))),
        BusHandlers.serve(bus, Addresses.HELPDESK_CUSTOMER,
            m -> tickets.customer(BusHandlers.tenant(m), m.body().getString("customer_id"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_OPEN_TICKET, m -> openTicket(m.body())),
        BusHandlers.serve(bus, Addresses.HELPDESK_TICKET_RETRY, m -> retries.status(m.body().getString("handoff_id"))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** A helpdesk's refusal crosses the bus as UPSTREAM_FAILED, with the wait it asked for. */
  private Future<JsonObject> openTicket(JsonObject message) {
    return retries.firstAttempt(message)
        .map(ref -> new JsonObject().put("ticket_id", ref.ticketId()).put("ticket_url", ref.ticketUrl()))
        .recover(failure -> {
          if (failure instanceof HelpdeskCallFailed call) {
            JsonObject extensions = new JsonObject();
            if (call.retryAfter() != null) {
              extensions.put("retry_after_seconds", call.retryAfter().toSeconds());
            }
            return Future.failedFuture(new BatonException(BatonError.UPSTREAM_FAILED, call.getMessage(), extensions));
          }
          return Future.failedFuture(failure);
        });
  }

  private static String ticketId(JsonObject body) {
    return body.getString("ticket_id");
  }
}
