package io.baton.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** Binds a command address to a function that answers it, with failures classified. */
public final class BusHandlers {

  private BusHandlers() {
  }

  public static MessageConsumer<JsonObject> serve(EventBus bus, String address,
      Function<Message<JsonObject>, Future<?>> handler) {
    return bus.consumer(address, message -> {
      Future<?> answer;
      try {
        answer = handler.apply(message);
      } catch (RuntimeException failure) {
        answer = Future.failedFuture(failure);
      }
      answer.onSuccess(message::reply).onFailure(failure -> Failures.fail(message, failure));
    });
  }
}
