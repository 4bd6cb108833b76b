package io.baton.handoff.triggers;

import io.baton.handoff.Priority;
import io.baton.handoff.rules.ConfigReader;
import io.baton.handoff.rules.Negation;
import io.baton.handoff.rules.NormalizedText;
import io.baton.handoff.rules.PhraseMatcher;
import io.baton.handoff.rules.Transcript;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The customer is upset, judged by a word lexicon over their latest messages.
 *
 * <p>Each lexicon word scores from -4 (very negative) to +4. A negation just before it flips and
 * halves it ("not bad at all" is mildly positive), an intensifier just before it ("very",
 * "muy", "muito") or writing it in capitals multiplies it by 1.5, and a negative message with
 * two or more '!' in a row is strengthened by 15% per '!' (up to four). The latest user message
 * counts fully, each earlier one half as much as the next, and the sum is squashed into -1..1
 * (x / sqrt(x² + 15), as VADER does) so that thresholds read the same whatever the message
 * length. The trigger fires at or below {@code threshold}, with HIGH priority at or below
 * {@code high_threshold} and MEDIUM otherwise.
 */
final class NegativeSentimentTrigger implements Trigger {

  static final String NAME = "negative_sentiment";

  private static final double NEGATED = -0.5;
  private static final double BOOST = 1.5;
  private static final double PER_EXCLAMATION = 0.15;
  private static final int MAX_EXCLAMATIONS = 4;
  private static final double SQUASH = 15;
  private static final double DECAY = 0.5;

  private static final Set<String> INTENSIFIERS = Set.of(
      "very", "extremely", "so", "really", "totally", "absolutely", "incredibly", "super",
      "completely", "utterly", "truly", "seriously", "too", "most",
      "muy", "demasiado", "tan", "bastante", "extremadamente", "totalmente", "realmente",
      "completamente", "muito", "tao", "extremamente", "bem", "demais");

  static final Map<String, Double> DEFAULT_LEXICON = lexicon(
      // English, negative
      "terrible", -3, "horrible", -3, "awful", -3, "worst", -3.5, "useless", -3, "hate", -3,
      "pathetic", -3, "ridiculous", -2.5, "unacceptable", -3, "furious", -3.5, "angry", -2.5,
      "frustrated", -2.5, "frustrating", -2.5, "annoyed", -2, "annoying", -2,
      "disappointed", -2.5, "disappointing", -2.5, "bad", -2, "poor", -1.5, "stupid", -3,
      "dumb", -2.5, "idiot", -3, "idiotic", -3, "garbage", -3, "trash", -2.5, "crap", -3,
      "sucks", -3, "suck", -2.5, "broken", -1.5, "waste", -2, "nonsense", -2,
      "incompetent", -3, "rude", -2.5, "disgusting", -3.5, "unhappy", -2.5, "upset", -2.5,
      "mad", -2, "fed up", -3, "waste of time", -3, "sick of", -2.5, "sick and tired", -3,
      "ugh", -1.5, "wtf", -3, "damn", -2, "joke", -1.5, "never again", -2.5, "horrendous", -3.5,
      "outrageous", -3, "livid", -3.5, "pissed", -3,
      // English, positive
      "good", 1.9, "great", 3.1, "excellent", 3.2, "perfect", 3, "awesome", 3.1, "amazing", 2.8,
      "wonderful", 3, "love", 3.2, "thanks", 1.9, "thank", 1.5, "helpful", 1.8, "nice", 1.8,
      "happy", 2.7, "glad", 2, "fine", 0.8, "appreciate", 2, "solved", 1.5, "cool", 1.3,
      "best", 3.2,
      // Spanish
      "pesimo", -3.5, "pesima", -3.5, "malo", -2, "mala", -2, "inutil", -3, "odio", -3,
      "harto", -3, "harta", -3, "molesto", -2, "molesta", -2, "enojado", -2.5, "enojada", -2.5,
      "furioso", -3.5, "furiosa", -3.5, "basura", -3, "asco", -3, "fatal", -2.5,
      "decepcionado", -2.5, "decepcionada", -2.5, "ridiculo", -2.5, "ridicula", -2.5,
      "verguenza", -2.5, "estupido", -3, "estupida", -3, "frustrado", -2.5, "frustrada", -2.5,
      "mierda", -3, "una porqueria", -3,
      "bueno", 1.9, "buena", 1.9, "excelente", 3.2, "gracias", 1.9, "genial", 3, "perfecto", 3,
      "perfecta", 3, "feliz", 2.7, "util", 1.8,
      // Portuguese
      "pessimo", -3.5, "pessima", -3.5, "horrivel", -3, "terrivel", -3, "ruim", -2,
      "odeio", -3, "lixo", -3, "raiva", -2.5, "irritado", -2.5, "irritada", -2.5,
      "chateado", -2.5, "chateada", -2.5, "absurdo", -2.5, "vergonha", -2.5, "palhacada", -2.5,
      "porcaria", -3, "merda", -3, "saco cheio", -3, "decepcionante", -2.5,
      "bom", 1.9, "boa", 1.9, "otimo", 3, "otima", 3, "obrigado", 1.9, "obrigada", 1.9,
      // Not "legal" (Portuguese for "cool"): in English it comes with "legal action".
      "perfeito", 3, "perfeita", 3, "maravilhoso", 3);

  private final PhraseMatcher<Double> lexicon;
  private final int userMessages;
  private final double threshold;
  private final double highThreshold;

  private NegativeSentimentTrigger(PhraseMatcher<Double> lexicon, int userMessages,
      double threshold, double highThreshold) {
    this.lexicon = lexicon;
    this.userMessages = userMessages;
    this.threshold = threshold;
    this.highThreshold = highThreshold;
  }

  /** Null when switched off. */
  static NegativeSentimentTrigger fromConfig(ConfigReader config) {
    boolean enabled = config.bool("enabled", true);
    int userMessages = config.integer("user_messages", 3, 1, 50);
    double threshold = config.decimal("threshold", -0.65, -1.0, 0.0);
    double highThreshold = config.decimal("high_threshold", -0.8, -1.0, 0.0);
    if (highThreshold > threshold) {
      throw new IllegalArgumentException(config.pathOf("high_threshold") + ": must be at most "
          + config.pathOf("threshold") + " (" + threshold + "), got " + highThreshold);
    }
    Map<String, Double> extra = config.numbers("lexicon");
    config.rejectUnknownKeys();
    if (!enabled) {
      return null;
    }
    PhraseMatcher.Builder<Double> builder = PhraseMatcher.builder();
    DEFAULT_LEXICON.forEach(builder::add);
    for (Map.Entry<String, Double> entry : extra.entrySet()) {
      if (entry.getValue() < -4 || entry.getValue() > 4) {
        throw new IllegalArgumentException(config.pathOf("lexicon") + "." + entry.getKey()
            + ": expected a score from -4 to 4, got " + entry.getValue());
      }
      try {
        builder.add(entry.getKey(), entry.getValue());
      } catch (IllegalArgumentException badPhrase) {
        throw new IllegalArgumentException(
            config.pathOf("lexicon") + ": " + badPhrase.getMessage(), badPhrase);
      }
    }
    return new NegativeSentimentTrigger(builder.build(), userMessages, threshold, highThreshold);
  }

  @Override
  public TriggerResult evaluate(Transcript transcript) {
    double total = 0;
    double weight = 1;
    double worstScore = 0;
    int worst = -1;
    int counted = 0;
    for (int i = transcript.size() - 1; i >= 0 && counted < userMessages; i--) {
      if (!transcript.isUser(i)) {
        continue;
      }
      counted++;
      double score = score(transcript.text(i));
      total += weight * score;
      weight *= DECAY;
      if (score < worstScore) {
        worstScore = score;
        worst = i;
      }
    }
    double compound = total / Math.sqrt(total * total + SQUASH);
    if (worst < 0 || compound > threshold) {
      return null;
    }
    Priority priority = compound <= highThreshold ? Priority.HIGH : Priority.MEDIUM;
    String reason = String.format(Locale.ROOT,
        "negative sentiment %.2f over the last %d customer messages", compound, counted);
    return new TriggerResult(TriggerType.NEGATIVE_SENTIMENT, Math.min(1.0, -compound), reason,
        transcript.content(worst), priority);
  }

  /** The message's raw score, before squashing. */
  double score(NormalizedText text) {
    double score = 0;
    for (PhraseMatcher.Match<Double> match : lexicon.findAll(text)) {
      double value = match.value();
      int start = match.start();
      if (start > 0 && text.sameClause(start - 1, start)
          && INTENSIFIERS.contains(text.token(start - 1))) {
        value *= BOOST;
      }
      for (int i = start; i < match.end(); i++) {
        if (text.shouted(i)) {
          value *= BOOST;
          break;
        }
      }
      if (Negation.negatesBefore(text, start)) {
        value *= NEGATED;
      }
      score += value;
    }
    if (score < 0 && text.exclamations() >= 2) {
      score *= 1 + PER_EXCLAMATION * Math.min(text.exclamations(), MAX_EXCLAMATIONS);
    }
    return score;
  }

  private static Map<String, Double> lexicon(Object... wordsAndScores) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < wordsAndScores.length; i += 2) {
      map.put((String) wordsAndScores[i], ((Number) wordsAndScores[i + 1]).doubleValue());
    }
    return Collections.unmodifiableMap(map);
  }
}
