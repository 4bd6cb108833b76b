package io.baton.bench;

import io.baton.handoff.Priority;
import io.baton.handoff.routing.Router;
import io.baton.handoff.routing.RoutingDecision;
import io.baton.handoff.routing.RoutingInput;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonObject;
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
 * {@link Router#route} over a ten-message transcript with the shipped rules plus a regex rule:
 * one input matches billing, one falls through every rule to the default queue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class RouterBenchmark {

  private static final String RULES = """
      {"rules": [
        {"name": "vip_routing", "when": [{"field": "metadata.tier", "equals": "vip"}],
         "queue": "vip_support"},
        {"name": "legal", "when": [{"regex": "\\\\b(lawyer|attorney|court)\\\\b"},
                                    {"priority_at_least": "HIGH"}],
         "queue": "legal", "priority_floor": "URGENT", "tags": ["legal"]},
        {"name": "billing_issues",
         "when": [{"keywords": ["billing", "invoice", "invoices", "refund", "refunds",
                   "refunded", "charge", "charges", "charged", "payment", "payments"]}],
         "queue": "billing_support"}]}""";

  private Router router;
  private RoutingInput billing;
  private RoutingInput unmatched;

  @Setup
  public void setUp() {
    router = Router.fromConfig(new JsonObject(RULES));
    JsonObject metadata = new JsonObject().put("tier", "gold").put("channel", "web");
    billing = new RoutingInput(Transcripts.ESCALATING, metadata, Priority.HIGH,
        TriggerType.DIRECT_REQUEST, "web");
    unmatched = new RoutingInput(Transcripts.CALM.subList(0, 4), metadata, Priority.HIGH,
        TriggerType.DIRECT_REQUEST, "web");
  }

  @Benchmark
  public RoutingDecision routeBilling() {
    return router.route(billing);
  }

  @Benchmark
  public RoutingDecision routeToDefault() {
    return router.route(unmatched);
  }
}
