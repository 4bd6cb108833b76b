package io.baton.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import io.baton.ops.LogIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds a command address to a function that answers it, with failures classified. */
public final class BusHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(BusHandlers.class);

  private BusHandlers() {
  }

  public static MessageConsumer<JsonObject> serve(EventBus bus, String address,
      Function<Message<JsonObject>, Future<?>> handler) {
    return bus.consumer(address, message -> {
      // Each message is handled on a context of its own: the sender's ids go there for every log
      // line of this command, including those of its callbacks.
      LogIds.HEADERS.forEach((key, header) -> LogIds.put(key, message.headers().get(header)));
      if (message.body() instanceof JsonObject command) {
        LogIds.from(command);
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("Handling {}", address);
      }
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
