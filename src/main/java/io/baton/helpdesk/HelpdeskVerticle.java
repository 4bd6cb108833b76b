package io.baton.helpdesk;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.baton.helpdesk.adapters.HelpdeskAdapter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The helpdesk capability on the bus: the built-in tickets API, and opening handoffs' tickets. */
public final class HelpdeskVerticle extends VerticleBase {

  private final TicketService tickets;
  private final HelpdeskAdapter adapter;

  public HelpdeskVerticle(TicketService tickets, HelpdeskAdapter adapter) {
    this.tickets = tickets;
    this.adapter = adapter;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<JsonObject>> consumers = List.of(
        BusHandlers.serve(bus, Addresses.HELPDESK_CREATE_TICKET, m -> tickets.create(m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_GET_TICKET, m -> tickets.get(ticketId(m.body()))),
        BusHandlers.serve(bus, Addresses.HELPDESK_UPDATE_TICKET,
            m -> tickets.update(ticketId(m.body()), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_ADD_TICKET_MESSAGE,
            m -> tickets.addMessage(ticketId(m.body()), m.body().getJsonObject("body"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_TICKET_STATUS, m -> tickets.status(ticketId(m.body()))),
        BusHandlers.serve(bus, Addresses.HELPDESK_ASSIGN_TICKET,
            m -> tickets.assign(ticketId(m.body()), m.body().getString("agent_id"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_LIST_TICKETS, m -> tickets.list(m.body())),
        BusHandlers.serve(bus, Addresses.HELPDESK_CUSTOMER_TICKETS,
            m -> tickets.customerTickets(m.body().getString("customer_id"), m.body().getInteger("limit", 20))),
        BusHandlers.serve(bus, Addresses.HELPDESK_CUSTOMER, m -> tickets.customer(m.body().getString("customer_id"))),
        BusHandlers.serve(bus, Addresses.HELPDESK_OPEN_TICKET, m -> adapter.open(TicketRequest.from(m.body()))
            .map(ref -> new JsonObject().put("ticket_id", ref.ticketId()).put("ticket_url", ref.ticketUrl()))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private static String ticketId(JsonObject body) {
    return body.getString("ticket_id");
  }
}
