package io.baton.handoff.rules;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * One message broken into lower-case, accent-free word tokens, computed once per message so
 * that every matcher works on the same tokens instead of re-scanning the raw text.
 *
 * <p>Apostrophes inside a word are dropped ("don't" → "dont", "I’m" → "im"), any other
 * non-letter, non-digit character separates words, and sentence punctuation (. , ; : ! ? and
 * line breaks) also starts a new clause. Matchers never let a phrase, a negation or an
 * intensifier reach across a clause, so "No, I want a human" is not read as a negated request.
 */
public final class NormalizedText {

  /** Lower-case base letter for every char up to Latin Extended-B, or 0 for a separator. */
  private static final char[] FOLD = foldTable(0x250);

  private static final NormalizedText EMPTY =
      new NormalizedText("", new String[0], new int[0], new int[0], new int[0], new boolean[0], 0);

  private final String raw;
  private final String[] tokens;
  private final int[] starts;
  private final int[] ends;
  private final int[] clauses;
  private final boolean[] shouted;
  private final int exclamations;

  private NormalizedText(String raw, String[] tokens, int[] starts, int[] ends, int[] clauses,
      boolean[] shouted, int exclamations) {
    this.raw = raw;
    this.tokens = tokens;
    this.starts = starts;
    this.ends = ends;
    this.clauses = clauses;
    this.shouted = shouted;
    this.exclamations = exclamations;
  }

  public static NormalizedText of(String raw) {
    if (raw == null || raw.isEmpty()) {
      return EMPTY;
    }
    int length = raw.length();
    int capacity = Math.min(length / 2 + 1, 64);
    String[] tokens = new String[capacity];
    int[] starts = new int[capacity];
    int[] ends = new int[capacity];
    int[] clauses = new int[capacity];
    boolean[] shouted = new boolean[capacity];
    int count = 0;

    StringBuilder word = new StringBuilder(24);
    int wordStart = -1;
    int upper = 0;
    int lower = 0;
    int clause = 0;
    boolean clauseBreakPending = false;
    int bangRun = 0;
    int maxBangRun = 0;

    for (int i = 0; i <= length; i++) {
      char c = i < length ? raw.charAt(i) : ' ';
      if (c == '!') {
        maxBangRun = Math.max(maxBangRun, ++bangRun);
      } else {
        bangRun = 0;
      }
      char folded = fold(c);
      if (folded != 0) {
        if (wordStart < 0) {
          wordStart = i;
          if (clauseBreakPending && count > 0) {
            clause++;
          }
          clauseBreakPending = false;
        }
        word.append(folded);
        if (Character.isUpperCase(c)) {
          upper++;
        } else if (Character.isLowerCase(c)) {
          lower++;
        }
        continue;
      }
      if (wordStart >= 0 && isInWordMark(raw, i, c)) {
        continue;
      }
      if (wordStart >= 0) {
        if (count == tokens.length) {
          int grown = count * 2;
          tokens = Arrays.copyOf(tokens, grown);
          starts = Arrays.copyOf(starts, grown);
          ends = Arrays.copyOf(ends, grown);
          clauses = Arrays.copyOf(clauses, grown);
          shouted = Arrays.copyOf(shouted, grown);
        }
        tokens[count] = word.toString();
        starts[count] = wordStart;
        ends[count] = i;
        clauses[count] = clause;
        shouted[count] = upper >= 2 && lower == 0;
        count++;
        word.setLength(0);
        wordStart = -1;
        upper = 0;
        lower = 0;
      }
      if (isClauseBreak(c)) {
        clauseBreakPending = true;
      }
    }
    if (count == 0) {
      return new NormalizedText(raw, new String[0], new int[0], new int[0], new int[0],
          new boolean[0], maxBangRun);
    }
    return new NormalizedText(raw, Arrays.copyOf(tokens, count), Arrays.copyOf(starts, count),
        Arrays.copyOf(ends, count), Arrays.copyOf(clauses, count), Arrays.copyOf(shouted, count),
        maxBangRun);
  }

  public String raw() {
    return raw;
  }

  public int size() {
    return tokens.length;
  }

  public String token(int index) {
    return tokens[index];
  }

  public int clause(int index) {
    return clauses[index];
  }

  public boolean sameClause(int a, int b) {
    return clauses[a] == clauses[b];
  }

  /** Written in capitals with at least two letters: "TERRIBLE" yes, "I" and "Ok" no. */
  public boolean shouted(int index) {
    return shouted[index];
  }

  /** The longest run of '!' in the message: "no!!!" gives 3. */
  public int exclamations() {
    return exclamations;
  }

  /** The original text covering tokens {@code from} (inclusive) to {@code to} (exclusive). */
  public String span(int from, int to) {
    return raw.substring(starts[from], ends[to - 1]);
  }

  /** The tokens joined by single spaces: the form phrases are written in. */
  public String normalized() {
    return String.join(" ", tokens);
  }

  /** Lower-cases and strips accents from a phrase written in config, the same way as messages. */
  public static String normalize(String text) {
    return of(text).normalized();
  }

  private static char fold(char c) {
    if (c < FOLD.length) {
      return FOLD[c];
    }
    if (Character.isLetterOrDigit(c)) {
      return Character.toLowerCase(c);
    }
    return 0;
  }

  /**
   * Apostrophes between letters and combining accents (text typed in decomposed form) belong
   * to the word they sit in.
   */
  private static boolean isInWordMark(String raw, int i, char c) {
    if (Character.getType(c) == Character.NON_SPACING_MARK) {
      return true;
    }
    if (c == '\'' || c == '\u2019') {
      return i + 1 < raw.length() && fold(raw.charAt(i + 1)) != 0;
    }
    return false;
  }

  private static boolean isClauseBreak(char c) {
    return switch (c) {
      case '.', ',', ';', ':', '!', '?', '\n', '\r', '(', ')', '[', ']', '¡', '¿', '…', '—', '–' ->
          true;
      default -> false;
    };
  }

  private static char[] foldTable(int size) {
    char[] table = new char[size];
    for (char c = 0; c < size; c++) {
      if (!Character.isLetterOrDigit(c)) {
        continue;
      }
      char base = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).charAt(0);
      table[c] = switch (c) {
        case 'ø', 'Ø' -> 'o';
        case 'đ', 'Đ' -> 'd';
        case 'ł', 'Ł' -> 'l';
        default -> Character.toLowerCase(base);
      };
    }
    return table;
  }
}
