package io.baton.handoff;

import io.baton.bus.Addresses;
import io.baton.bus.BusHandlers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The handoff capability on the bus: check, create, read, list, cancel. */
public final class HandoffVerticle extends VerticleBase {

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
            m -> service.create(m.body().getJsonObject("body"), m.body().getString("idempotency_key"))),
        BusHandlers.serve(bus, Addresses.HANDOFF_GET, m -> service.get(m.body().getString("handoff_id"))),
        BusHandlers.serve(bus, Addresses.HANDOFF_LIST, m -> service.list(m.body())),
        BusHandlers.serve(bus, Addresses.HANDOFF_CANCEL, m -> service.cancel(m.body().getString("handoff_id"))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
