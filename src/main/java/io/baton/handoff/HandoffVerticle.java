package io.baton.handoff;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handoff capability on the bus: check, create, read, list, cancel. A queued handoff is handed
 * to the operator capability for automatic assignment.
 */
public final class HandoffVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HandoffVerticle.class);
  /** Well below the HTTP deadline: without an answer, the handoff is answered without its retry state. */
  private static final long TICKET_RETRY_TIMEOUT_MS = 2_000;

  private final HandoffService service;

  public HandoffVerticle(HandoffService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<JsonObject>> consumers = List.of(
        BusHandlers.serve(bus, Addresses.HANDOFF_CHECK, m -> Future.succeededFuture(service.check(m.body()))),
        BusHandlers.serve(bus, Addresses.HANDOFF_CREATE,
            m -> service.create(BusHandlers.tenant(m), m.body().getJsonObject("body"),
                    m.body().getString("idempotency_key"))
                .onSuccess(handoff -> queued(bus, BusHandlers.tenant(m), handoff))),
        BusHandlers.serve(bus, Addresses.HANDOFF_GET,
            m -> service.get(BusHandlers.tenant(m), m.body().getString("handoff_id"))
                .compose(handoff -> withTicketRetry(bus, handoff))),
        BusHandlers.serve(bus, Addresses.HANDOFF_LIST, m -> service.list(BusHandlers.tenant(m), m.body())),
        BusHandlers.serve(bus, Addresses.HANDOFF_CANCEL,
            m -> service.cancel(BusHandlers.tenant(m), m.body().getString("handoff_id"))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /**
   * A pending handoff is offered to the operator capability for automatic assignment. The create
   * does not wait for it: its answer is the handoff as created.
   */
  private static void queued(EventBus bus, String tenant, JsonObject handoff) {
    if (HandoffStatus.PENDING.wireName().equals(handoff.getString("status"))) {
      // Only the tenant's own agents may take it.
      bus.send(Addresses.OPERATOR_AUTO_ASSIGN, new JsonObject().put("queue", handoff.getString("assigned_queue")),
          BusHandlers.forTenant(new DeliveryOptions(), tenant));
    }
  }

  /**
   * A handoff still without a ticket is answered with its retry's state (ticket_status retrying or
   * failed, attempts, last error), when it can be had.
   */
  private static Future<JsonObject> withTicketRetry(EventBus bus, JsonObject handoff) {
    if (handoff.getString("ticket_id") != null) {
      return Future.succeededFuture(handoff);
    }
    return bus.<JsonObject>request(Addresses.HELPDESK_TICKET_RETRY,
            new JsonObject().put("handoff_id", handoff.getString("handoff_id")),
            new DeliveryOptions().setSendTimeout(TICKET_RETRY_TIMEOUT_MS))
        .map(reply -> handoff.mergeIn(reply.body()))
        .otherwise(failure -> {
          LOG.warn("No ticket retry state for handoff {}", handoff.getString("handoff_id"), failure);
          return handoff;
        });
  }

}
