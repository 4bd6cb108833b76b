package io.baton.operator;

import io.baton.handoff.Handoff;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic pass over waiting handoffs: escalates those that waited too long (each claimed by
 * one sweeper, whichever instance runs it), then gives agents with room what is waiting, in case a
 * trigger was missed (an instance stopped between a change and its auto-assignment).
 */
public final class OperatorSweep {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorSweep.class);
  /** Escalation batches per sweep at most; what is left waits for the next sweep. */
  static final int MAX_BATCHES = 10;

  /** What one sweep did. */
  public record Result(List<OperatorStore.Escalated> escalated, List<Handoff> assigned) {
  }

  private final OperatorStore store;
  private final EscalationPolicy policy;
  private final int batchSize;
  private final AutoAssigner autoAssigner;
  private final Clock clock;

  public OperatorSweep(OperatorStore store, EscalationPolicy policy, int batchSize, AutoAssigner autoAssigner,
      Clock clock) {
    this.store = store;
    this.policy = policy;
    this.batchSize = batchSize;
    this.autoAssigner = autoAssigner;
    this.clock = clock;
  }

  public Future<Result> sweep() {
    Future<List<OperatorStore.Escalated>> escalated = policy.any()
        ? escalate(clock.instant().truncatedTo(ChronoUnit.MICROS), new ArrayList<>(), MAX_BATCHES)
        : Future.succeededFuture(List.of());
    return escalated.compose(done -> autoAssigner.all().map(assigned -> new Result(done, assigned)));
  }

  private Future<List<OperatorStore.Escalated>> escalate(Instant now, List<OperatorStore.Escalated> all,
      int batches) {
    return store.escalateDue(policy, now, batchSize).compose(batch -> {
      batch.forEach(e -> LOG.info("Escalated handoff {} (step {}): {} {} -> {} {}", e.handoff().id(), e.step(),
          e.fromQueue(), e.fromPriority(), e.handoff().queue(), e.handoff().priority()));
      all.addAll(batch);
      return batch.size() < batchSize || batches <= 1 ? Future.succeededFuture(all)
          : escalate(now, all, batches - 1);
    });
  }
}
