package io.baton.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one Baton process, scraped at {@code GET /metrics} in Prometheus text format. Vert.x
 * records HTTP requests into the same registry ({@link #vertx}); Baton adds its own meters here. One
 * registry per process (not the global one), so that several instances in one JVM (tests) never
 * count into each other.
 */
public final class Metrics {

  /** Breaker states as gauge values: what an alert compares against. */
  public static final Map<String, Integer> BREAKER_STATES = Map.of("closed", 0, "half_open", 1, "open", 2);

  /**
   * Latency buckets of the HTTP histograms, in seconds: a fixed, short list keeps the series per route
   * bounded while still separating "fast", "slow" and "timed out" (request_timeout_ms is 10 s).
   */
  private static final Duration[] HTTP_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /**
   * The handoff lifecycle steps counted, as baton_handoffs_total{event="created"} and so on; a fixed
   * set keeps the series bounded. (A name ending in _created is reserved by the exposition format.)
   */
  public static final java.util.Set<String> STEPS =
      java.util.Set.of("created", "assigned", "resolved", "escalated", "released", "cancelled");

  private final PrometheusMeterRegistry registry;
  private final Map<String, Counter> lifecycle = new ConcurrentHashMap<>();
  private final MultiGauge queueDepth;
  private final MultiGauge queueOldestAge;
  private final Timer relayDelay;
  private final AtomicLong sampleFailures = new AtomicLong();

  public Metrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getName().startsWith("vertx.http.server.response.time")) {
          return DistributionStatisticConfig.builder()
              .serviceLevelObjectives(java.util.Arrays.stream(HTTP_BUCKETS).mapToDouble(Duration::toNanos).toArray())
              .build().merge(config);
        }
        return config;
      }
    });
    queueDepth = MultiGauge.builder("baton.queue.depth")
        .description("Pending handoffs per queue (sampled from the store)")
        .register(registry);
    queueOldestAge = MultiGauge.builder("baton.queue.oldest.age")
        .description("Age of the oldest pending handoff per queue, in seconds (sampled from the store)")
        .baseUnit("seconds")
        .register(registry);
    relayDelay = Timer.builder("baton.event.relay.delay")
        .description("From an event's creation to its publication by this instance's relay")
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
        .register(registry);
    // Registered up front: a counter that first appears at 1 hides its first increase from rate().
    STEPS.forEach(step -> lifecycle.put(step, Counter.builder("baton.handoffs")
        .description("Handoff lifecycle transitions committed, by event (from the event log)")
        .tag("event", step)
        .register(registry)));
    FunctionCounter.builder("baton.queue.sample.failures", sampleFailures, AtomicLong::get)
        .description("Queue samples that could not be read from the store")
        .register(registry);
  }

  /**
   * A Vert.x whose HTTP server metrics go to {@code metrics}' registry, labelled by route template,
   * method and status only: raw paths carry ids and would make one series per handoff.
   */
  public static Vertx vertx(Metrics metrics) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE));
    // Only HTTP server meters: per-address bus meters and client pools would add series nobody reads.
    for (MetricsDomain domain : MetricsDomain.values()) {
      if (domain != MetricsDomain.HTTP_SERVER) {
        options.addDisabledMetricsCategory(domain);
      }
    }
    // One event loop per core, as many as the capabilities' verticle instances (one per core by default):
    // each deployment then has an instance on every event loop, and a command stays on the loop that
    // accepted its request (bus.Nearby). Vert.x's default, two per core, left half the loops without one.
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options)
            .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry))
        .build();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The text a Prometheus server scrapes. */
  public String scrape() {
    return registry.scrape();
  }

  /** A counter that follows a number kept elsewhere (the ingest and dispatch statistics). */
  public <T> void count(String name, String description, T owner, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, owner, value).description(description).register(registry);
  }

  /** A gauge that reads a number kept elsewhere when scraped; {@code unit} is null or e.g. "seconds". */
  public <T> void gauge(String name, String description, String unit, T owner, ToDoubleFunction<T> value) {
    Gauge.builder(name, owner, value).description(description).baseUnit(unit).register(registry);
  }

  /**
   * A circuit breaker's state as {@code baton_breaker_state{breaker=...}}: 0 closed, 1 half-open,
   * 2 open. The helpdesk's is registered at start-up; channel breakers register theirs the same way.
   */
  public void breaker(String name, Supplier<String> state) {
    Gauge.builder("baton.breaker.state", state,
            s -> BREAKER_STATES.getOrDefault(s.get().toLowerCase(Locale.ROOT), -1))
        .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
        .tag("breaker", name)
        .register(registry);
  }

  /** A handoff lifecycle step, by its event type's last part (created, assigned, resolved, escalated...). */
  public void handoff(String step) {
    Counter counter = lifecycle.get(step);
    if (counter != null) {
      counter.increment();
    }
  }

  /** An event's creation-to-publication delay as this instance's relay saw it. */
  public void relayed(Duration delay) {
    relayDelay.record(delay.isNegative() ? Duration.ZERO : delay);
  }

  public record QueueSample(String queue, long pending, double oldestAgeSeconds) {
  }

  /** Replaces the queue gauges: queues no longer pending disappear instead of staying at their last value. */
  public void queues(List<QueueSample> samples) {
    queueDepth.register(samples.stream()
        .map(s -> MultiGauge.Row.of(Tags.of("queue", s.queue()), s.pending()))
        .toList(), true);
    queueOldestAge.register(samples.stream()
        .map(s -> MultiGauge.Row.of(Tags.of("queue", s.queue()), s.oldestAgeSeconds()))
        .toList(), true);
  }

  public void queueSampleFailed() {
    sampleFailures.incrementAndGet();
  }
}
