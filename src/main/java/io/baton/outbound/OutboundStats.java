package io.baton.outbound;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Counters of this instance's sends per channel, for /stats. */
public final class OutboundStats {

  /** sent: the provider took it; failed: given up; retried: an attempt failed and is due again. */
  public record Counters(AtomicLong sent, AtomicLong failed, AtomicLong retried) {
    Counters() {
      this(new AtomicLong(), new AtomicLong(), new AtomicLong());
    }
  }

  private final Map<String, Counters> byChannel = new ConcurrentHashMap<>();
  private volatile Function<String, String> breakerState = channel -> null;

  public Counters of(String channel) {
    return byChannel.computeIfAbsent(channel, c -> new Counters());
  }

  void breakerStates(Function<String, String> states) {
    this.breakerState = states;
  }

  public JsonObject toJson() {
    JsonObject all = new JsonObject();
    for (String channel : OutboundService.CHANNELS) {
      Counters counters = of(channel);
      all.put(channel, new JsonObject()
          .put("sent", counters.sent().get())
          .put("failed", counters.failed().get())
          .put("retried", counters.retried().get())
          .put("breaker", breakerState.apply(channel)));
    }
    return all;
  }
}
