package io.baton.handoff.triggers;

import io.baton.handoff.Priority;
import java.util.Comparator;
import java.util.Objects;

/**
 * A trigger that fired.
 *
 * @param confidence how sure the trigger is, from 0 to 1
 * @param reason a sentence for the agent who picks the handoff up
 * @param matched the text that made it fire, as the customer or bot wrote it
 * @param suggestedPriority the priority this trigger alone would give the handoff
 */
public record TriggerResult(TriggerType type, double confidence, String reason, String matched,
    Priority suggestedPriority) {

  /** Most important first: higher suggested priority, then higher confidence. */
  public static final Comparator<TriggerResult> MOST_IMPORTANT_FIRST =
      Comparator.comparing(TriggerResult::suggestedPriority).reversed()
          .thenComparing(Comparator.comparingDouble(TriggerResult::confidence).reversed())
          .thenComparing(TriggerResult::type);

  public TriggerResult {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(suggestedPriority, "suggestedPriority");
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be from 0 to 1, got " + confidence);
    }
    reason = reason == null ? "" : reason;
    matched = matched == null ? "" : matched;
  }
}
