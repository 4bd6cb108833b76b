package io.baton.handoff.triggers;

import io.baton.handoff.Priority;
import io.baton.handoff.Speaker;
import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.NormalizedText;
import io.baton.handoff.rules.PhraseMatcher;
import io.baton.handoff.rules.Transcript;
import java.util.Arrays;
import java.util.List;

/**
 * The bot keeps failing: within the last {@code window} messages, at least {@code failures} of
 * them are a bot reply admitting it did not understand, a bot reply repeating an earlier one,
 * or a customer message repeating an earlier one (asking again because the answer did not help).
 *
 * <p>Repeats are judged by word overlap (Jaccard similarity of the two messages' word sets), so
 * "Where is my order?" and "where is my order??" are the same message. Short messages ("ok",
 * "yes") are never counted as repeats. The suggested priority is MEDIUM: a bot going in circles
 * wastes the customer's time but says nothing about urgency; the sentiment and keyword
 * triggers raise it when the customer is also upset or in trouble.
 */
final class FailurePatternTrigger implements Trigger {

  static final String NAME = "failure_pattern";

  static final List<String> DEFAULT_PHRASES = List.of(
      "i dont understand", "i do not understand", "i didnt understand", "i did not understand",
      "didnt get that", "did not get that", "didnt catch that", "did not catch that",
      "didnt quite get", "could you rephrase", "can you rephrase", "please rephrase",
      "rephrase your question", "try rephrasing", "not sure i follow", "not sure i understand",
      "not sure what you mean", "dont know what you mean", "im not able to help with that",
      "i cant help with that", "i cannot help with that", "im unable to help",
      "i am unable to help", "i dont have an answer", "i dont have information about",
      "could you say that again", "can you say that again", "i dont know how to help",
      "didnt quite catch", "having trouble understanding", "im still learning",
      "no entiendo", "no entendi", "no te entendi", "no le entendi", "no comprendo",
      "no comprendi", "no pude entender", "puedes reformular", "podrias reformular",
      "puede reformular", "podria reformular", "reformular tu pregunta",
      "no estoy seguro de entender", "no estoy seguro de haber entendido",
      "no se como ayudarte", "no puedo ayudarte con eso",
      "nao entendi", "nao entendo", "nao compreendi", "nao consegui entender",
      "pode reformular", "poderia reformular", "reformular sua pergunta", "pode repetir",
      "nao tenho certeza se entendi", "nao sei como ajudar", "nao posso ajudar com isso");

  private final PhraseMatcher<String> phrases;
  private final int failures;
  private final int window;
  private final double similarity;
  private final int repeatMinWords;
  private final Priority priority;

  private FailurePatternTrigger(PhraseMatcher<String> phrases, int failures, int window,
      double similarity, int repeatMinWords, Priority priority) {
    this.phrases = phrases;
    this.failures = failures;
    this.window = window;
    this.similarity = similarity;
    this.repeatMinWords = repeatMinWords;
    this.priority = priority;
  }

  /** Null when switched off. */
  static FailurePatternTrigger fromConfig(ConfigReader config) {
    boolean enabled = config.bool("enabled", true);
    int failures = config.integer("failures", 3, 1, 100);
    int window = config.integer("window", 5, 1, 100);
    if (window < failures) {
      throw new IllegalArgumentException(config.pathOf("window") + ": must be at least "
          + config.pathOf("failures") + " (" + failures + "), got " + window);
    }
    double similarity = config.decimal("similarity", 0.8, 0.01, 1.0);
    int repeatMinWords = config.integer("repeat_min_words", 3, 1, 100);
    List<String> extra = config.strings("extra_phrases", List.of());
    Priority priority = config.priority("priority", Priority.MEDIUM);
    config.rejectUnknownKeys();
    if (!enabled) {
      return null;
    }
    return new FailurePatternTrigger(Trigger.phrases(DEFAULT_PHRASES, extra, config), failures, window, similarity,
        repeatMinWords, priority);
  }

  @Override
  public TriggerResult evaluate(Transcript transcript) {
    int size = transcript.size();
    int from = Math.max(0, size - window);
    // A repeat may echo a message from before the window, but not from arbitrarily long ago.
    int lookbackFrom = Math.max(0, from - window);
    int[][] wordSets = new int[size - lookbackFrom][];

    int notUnderstood = 0;
    int botRepeats = 0;
    int customerRepeats = 0;
    String latest = null;
    for (int i = from; i < size; i++) {
      Speaker speaker = transcript.speaker(i);
      if (speaker == Speaker.AI) {
        NormalizedText text = transcript.text(i);
        PhraseMatcher.Match<String> match = phrases.first(text);
        if (match != null) {
          notUnderstood++;
          latest = transcript.content(i);
        } else if (repeatsEarlier(transcript, i, lookbackFrom, wordSets)) {
          botRepeats++;
          latest = transcript.content(i);
        }
      } else if (speaker == Speaker.USER && repeatsEarlier(transcript, i, lookbackFrom, wordSets)) {
        customerRepeats++;
        latest = transcript.content(i);
      }
    }
    int total = notUnderstood + botRepeats + customerRepeats;
    if (total < failures) {
      return null;
    }
    String reason = total + " bot failures in the last " + Math.min(window, size)
        + " messages (" + notUnderstood + " not understood, " + botRepeats
        + " bot repeats, " + customerRepeats + " customer repeats)";
    double confidence = Math.min(0.95, 0.5 + 0.1 * total);
    return new TriggerResult(TriggerType.FAILURE_PATTERN, confidence, reason, latest, priority);
  }

  private boolean repeatsEarlier(Transcript transcript, int index, int lookbackFrom,
      int[][] wordSets) {
    int[] words = wordSet(transcript, index, lookbackFrom, wordSets);
    if (words.length < repeatMinWords) {
      return false;
    }
    Speaker speaker = transcript.speaker(index);
    for (int j = index - 1; j >= lookbackFrom; j--) {
      if (transcript.speaker(j) != speaker) {
        continue;
      }
      int[] earlier = wordSet(transcript, j, lookbackFrom, wordSets);
      if (earlier.length >= repeatMinWords && jaccard(words, earlier) >= similarity) {
        return true;
      }
    }
    return false;
  }

  /** The message's distinct words as sorted hashes, computed once per evaluation. */
  private static int[] wordSet(Transcript transcript, int index, int lookbackFrom,
      int[][] wordSets) {
    int slot = index - lookbackFrom;
    int[] words = wordSets[slot];
    if (words == null) {
      NormalizedText text = transcript.text(index);
      words = new int[text.size()];
      for (int i = 0; i < words.length; i++) {
        words[i] = text.token(i).hashCode();
      }
      Arrays.sort(words);
      int distinct = 0;
      for (int i = 0; i < words.length; i++) {
        if (i == 0 || words[i] != words[i - 1]) {
          words[distinct++] = words[i];
        }
      }
      words = Arrays.copyOf(words, distinct);
      wordSets[slot] = words;
    }
    return words;
  }

  private static double jaccard(int[] a, int[] b) {
    int common = 0;
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) common / (a.length + b.length - common);
  }
}
