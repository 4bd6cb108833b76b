package io.baton.handoff.triggers;

import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.PhraseMatcher;
import io.baton.handoff.rules.Transcript;
import java.util.List;

/** One built-in trigger, compiled from its config section; immutable. */
interface Trigger {

  /** The result when the trigger fires on this transcript, otherwise null. */
  TriggerResult evaluate(Transcript transcript);

  /** The built-in phrases plus the configured {@code extra_phrases}; a bad extra phrase names that setting. */
  static PhraseMatcher<String> phrases(List<String> builtIn, List<String> extra, ConfigReader config) {
    PhraseMatcher.Builder<String> builder = PhraseMatcher.builder();
    try {
      builder.addAll(builtIn, "phrase");
      builder.addAll(extra, "phrase");
    } catch (IllegalArgumentException badPhrase) {
      throw new IllegalArgumentException(
          config.pathOf("extra_phrases") + ": " + badPhrase.getMessage(), badPhrase);
    }
    return builder.build();
  }
}
