package io.baton.bus;

import io.baton.ops.LogIds;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.EventBus;
import java.util.Map;

/**
 * Every message sent while a request or command is handled carries its log ids as headers, also the
 * commands a capability sends on to another (an operator's handoff request creating a handoff): the
 * interceptor runs on the sender's context, where {@link LogIds} holds them. {@link BusHandlers}
 * restores them on the consuming side.
 */
public final class LogIdHeaders {

  private LogIdHeaders() {
  }

  public static void install(EventBus bus) {
    bus.addOutboundInterceptor(delivery -> {
      Map<String, String> ids = LogIds.current();
      if (ids != null && !ids.isEmpty()) {
        MultiMap headers = delivery.message().headers();
        ids.forEach((key, value) -> {
          String header = LogIds.HEADERS.get(key);
          if (header != null && !headers.contains(header)) {
            headers.add(header, value);
          }
        });
      }
      delivery.next();
    });
  }
}
