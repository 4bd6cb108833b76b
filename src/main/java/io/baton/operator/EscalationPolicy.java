package io.baton.operator;

import io.baton.config.BatonConfig.EscalationConfig;
import io.baton.config.BatonConfig.QueueEscalation;
import io.baton.handoff.Handoff;
import io.baton.handoff.Priority;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** When a pending handoff escalates, and to what: the escalation settings of its queue. */
public record EscalationPolicy(QueueEscalation defaults, Map<String, QueueEscalation> queues) {

  /** Where a handoff goes at its next escalation step. */
  public record Step(Priority priority, String queue) {
  }

  public static EscalationPolicy from(EscalationConfig config) {
    return new EscalationPolicy(config.defaults(), config.queues());
  }

  public QueueEscalation forQueue(String queue) {
    return queue == null ? defaults : queues.getOrDefault(queue, defaults);
  }

  /** Zero: handoffs of the queue never escalate. */
  public Duration maxWait(String queue) {
    return forQueue(queue).maxWait();
  }

  /** True when some queue escalates. */
  public boolean any() {
    return !defaults.maxWait().isZero() || queues.values().stream().anyMatch(q -> !q.maxWait().isZero());
  }

  /** The next step, or empty when the handoff is as high and as far as its queue's settings take it. */
  public Optional<Step> next(Handoff handoff) {
    QueueEscalation settings = forQueue(handoff.queue());
    Priority priority = handoff.priority();
    if (settings.raisePriority() && priority != Priority.CRITICAL) {
      priority = Priority.values()[priority.ordinal() + 1];
    }
    String queue = settings.fallbackQueue().isEmpty() ? handoff.queue() : settings.fallbackQueue();
    if (priority == handoff.priority() && queue.equals(handoff.queue())) {
      return Optional.empty();
    }
    return Optional.of(new Step(priority, queue));
  }
}
