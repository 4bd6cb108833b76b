package io.baton.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
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

  /** The tenant of data written before tenants existed, of protected mode, and of unconfigured webhooks. */
  public static final String DEFAULT_TENANT = "default";

  private BusHandlers() {
  }

  /** The tenant a command acts for (see {@link Addresses#TENANT_HEADER}). */
  public static String tenant(Message<?> message) {
    String tenant = message.headers().get(Addresses.TENANT_HEADER);
    return tenant == null ? DEFAULT_TENANT : tenant;
  }

  /** Sends a command on behalf of {@code tenant}: capabilities calling each other pass their tenant on. */
  public static DeliveryOptions forTenant(DeliveryOptions options, String tenant) {
    return options.addHeader(Addresses.TENANT_HEADER, tenant);
  }

  public static MessageConsumer<JsonObject> serve(EventBus bus, String address,
      Function<Message<JsonObject>, Future<?>> handler) {
    return Nearby.consumer(bus, address, message -> {
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
