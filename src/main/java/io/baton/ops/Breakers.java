package io.baton.ops;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The circuit breakers of this process, by name, for /ready and /metrics. The helpdesk's registers
 * at start-up; a channel's send API breaker registers the same way ({@link #register}), and both
 * places see it without further changes.
 */
public final class Breakers {

  /** {@code state} answers closed, open or half_open. */
  public record Breaker(String name, String detail, Supplier<String> state) {
  }

  private final Metrics metrics;
  private final List<Breaker> all = new CopyOnWriteArrayList<>();

  public Breakers(Metrics metrics) {
    this.metrics = metrics;
  }

  public void register(String name, String detail, Supplier<String> state) {
    all.add(new Breaker(name, detail, state));
    metrics.breaker(name, state);
  }

  public List<Breaker> all() {
    return List.copyOf(all);
  }
}
