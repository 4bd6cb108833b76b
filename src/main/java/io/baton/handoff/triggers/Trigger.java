package io.baton.handoff.triggers;

import io.baton.handoff.rules.Transcript;

/** One built-in trigger, compiled from its config section; immutable. */
interface Trigger {

  /** The result when the trigger fires on this transcript, otherwise null. */
  TriggerResult evaluate(Transcript transcript);
}
