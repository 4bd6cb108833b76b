package io.baton.api;

import static java.util.Map.entry;

import io.baton.bus.Addresses;
import io.baton.bus.Failures;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The tickets and customers tags of the contract: HTTP in, a bus command out, the reply back. */
final class HelpdeskApi {

  private HelpdeskApi() {
  }

  static Map<String, Handler<RoutingContext>> operations(BusCalls bus) {
    return Map.ofEntries(
        entry("createTicket", ctx -> created(bus, ctx,
            new JsonObject().put("body", Requests.body(ctx)))),
        entry("getTicket", ctx -> bus.respond(ctx, Addresses.HELPDESK_GET_TICKET, ticket(ctx))),
        entry("updateTicket", ctx -> bus.respond(ctx, Addresses.HELPDESK_UPDATE_TICKET,
            ticket(ctx).put("body", Requests.body(ctx)))),
        entry("addTicketMessage", ctx -> bus.respond(ctx, Addresses.HELPDESK_ADD_TICKET_MESSAGE,
            ticket(ctx).put("body", Requests.body(ctx)))),
        entry("getTicketStatus", ctx -> bus.respond(ctx, Addresses.HELPDESK_TICKET_STATUS, ticket(ctx))),
        entry("assignTicket", ctx -> bus.respond(ctx, Addresses.HELPDESK_ASSIGN_TICKET,
            Requests.query(ctx).mergeIn(ticket(ctx)))),
        entry("listTickets", ctx -> bus.respond(ctx, Addresses.HELPDESK_LIST_TICKETS, Requests.query(ctx))),
        entry("listCustomerTickets", ctx -> customerTickets(bus, ctx)),
        entry("getCustomer", ctx -> bus.respond(ctx, Addresses.HELPDESK_CUSTOMER, customer(ctx))));
  }

  private static void created(BusCalls bus, RoutingContext ctx, JsonObject command) {
    bus.request(ctx, Addresses.HELPDESK_CREATE_TICKET, command).onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(done.result().toBuffer());
      } else {
        Problems.write(ctx, Failures.classify(done.cause()));
      }
    });
  }

  /** The seed answers a bare array here. */
  private static void customerTickets(BusCalls bus, RoutingContext ctx) {
    bus.request(ctx, Addresses.HELPDESK_CUSTOMER_TICKETS, Requests.query(ctx).mergeIn(customer(ctx))).onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().putHeader("Content-Type", "application/json")
            .end(done.result().getJsonArray("tickets").toBuffer());
      } else {
        Problems.write(ctx, Failures.classify(done.cause()));
      }
    });
  }

  private static JsonObject ticket(RoutingContext ctx) {
    return new JsonObject().put("ticket_id", ctx.pathParam("ticket_id"));
  }

  private static JsonObject customer(RoutingContext ctx) {
    return new JsonObject().put("customer_id", ctx.pathParam("customer_id"));
  }


}
