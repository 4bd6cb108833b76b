package io.baton.handoff.rules;

import java.util.Set;

/**
 * Decides whether the words just before a match negate it, in English, Spanish and Portuguese.
 *
 * <p>The scan walks back from the match within its clause, skipping filler words (articles,
 * "really", "think", intensifiers...), and looks at the nearest two words that carry meaning.
 * A negation word among them negates the match ("I don't need a human", "I don't think I need a
 * human", "it's not very good"). A bare "no"/"não" only counts as the very nearest such word,
 * because it doubles as an interjection: "no quiero un agente" is negated, "no I want a human"
 * is not.
 */
public final class Negation {

  private static final int WINDOW = 2;

  private static final Set<String> CUES = Set.of(
      "not", "dont", "doesnt", "didnt", "never", "isnt", "wasnt", "arent", "werent", "wont",
      "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "neither", "nor", "without", "nobody",
      "nothing", "nunca", "ni", "tampoco", "sin", "jamas", "nem", "sem", "jamais", "nenhum",
      "nenhuma", "ningun", "ninguna", "ninguno");

  private static final Set<String> NEAREST_ONLY_CUES = Set.of("no", "nao");

  private static final Set<String> SKIPPED = Set.of(
      "a", "an", "the", "really", "actually", "even", "just", "think", "honestly", "truly",
      "so", "too", "very", "extremely", "super", "that", "it", "its", "is", "was", "be", "been",
      "are", "am", "im", "this", "at", "all",
      "es", "esta", "era", "fue", "muy", "tan", "realmente", "el", "la", "lo", "un", "una", "me",
      "se", "creo", "e", "foi", "muito", "tao", "mesmo", "o", "um", "uma", "acho");

  private Negation() {
  }

  /** Whether the words before token {@code start} (in the same clause) negate what starts there. */
  public static boolean negatesBefore(NormalizedText text, int start) {
    int meaningful = 0;
    for (int i = start - 1; i >= 0 && text.sameClause(i, start); i--) {
      String word = text.token(i);
      if (SKIPPED.contains(word)) {
        continue;
      }
      meaningful++;
      if (CUES.contains(word) || (meaningful == 1 && NEAREST_ONLY_CUES.contains(word))) {
        return true;
      }
      if (meaningful == WINDOW) {
        return false;
      }
    }
    return false;
  }
}
