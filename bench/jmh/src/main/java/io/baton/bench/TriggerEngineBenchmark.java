package io.baton.bench;

import io.baton.handoff.triggers.TriggerEngine;
import io.baton.handoff.triggers.TriggerResult;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link TriggerEngine#evaluate} of a ten-message transcript with the shipped defaults plus
 * two custom rules, as the check endpoint runs it. Budget: under 50 µs per evaluation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class TriggerEngineBenchmark {

  private static final String CUSTOM_RULES = """
      {"custom_rules": [
        {"name": "enterprise_outage", "priority": "URGENT",
         "when": [{"field": "metadata.plan", "equals": "enterprise"},
                  {"keywords": ["outage", "is down"]}]},
        {"name": "upset_vip", "priority": "URGENT",
         "when": [{"field": "metadata.customer.tier", "in": ["vip", "platinum"]},
                  {"trigger": "negative_sentiment"}]}]}""";

  private TriggerEngine engine;
  private JsonObject metadata;

  @Setup
  public void setUp() {
    engine = TriggerEngine.fromConfig(new JsonObject(CUSTOM_RULES));
    metadata = new JsonObject().put("plan", "pro")
        .put("customer", new JsonObject().put("tier", "vip").put("id", "c-1029"));
  }

  @Benchmark
  public Optional<TriggerResult> evaluateCalm() {
    return engine.evaluate(Transcripts.CALM, metadata, "web");
  }

  @Benchmark
  public Optional<TriggerResult> evaluateEscalating() {
    return engine.evaluate(Transcripts.ESCALATING, metadata, "web");
  }

  @Benchmark
  public List<TriggerResult> evaluateAllEscalating() {
    return engine.evaluateAll(Transcripts.ESCALATING, metadata, "web");
  }
}
