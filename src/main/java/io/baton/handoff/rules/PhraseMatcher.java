package io.baton.handoff.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A word trie over {@link NormalizedText} tokens: every phrase is looked up from each token in
 * one pass, so adding phrases costs memory, not time per message, and there is no regular
 * expression to backtrack.
 *
 * <p>Phrase syntax, one phrase per string: words are normalised like messages (case and accents
 * do not matter). A word ending in {@code *} matches any word starting with it ({@code refund*}
 * matches "refunds" and "refunded"). A lone {@code *} between two words stands for up to
 * {@value #MAX_GAP} other words ({@code "account * locked"} matches "account is locked" and
 * "account has been locked"). A phrase never matches across clauses.
 *
 * @param <T> what a phrase stands for (a priority, a score, the phrase itself...)
 */
public final class PhraseMatcher<T> {

  public static final int MAX_GAP = 2;

  /** Tokens {@code [start, end)} of a message matched the phrase that stands for {@code value}. */
  public record Match<T>(int start, int end, T value) {
  }

  private final Node<T> root;
  private final int phrases;

  private PhraseMatcher(Node<T> root, int phrases) {
    this.root = root;
    this.phrases = phrases;
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /** Every phrase stands for itself, as written in config. */
  public static PhraseMatcher<String> of(Iterable<String> phrases) {
    Builder<String> builder = builder();
    for (String phrase : phrases) {
      builder.add(phrase, phrase);
    }
    return builder.build();
  }

  public boolean isEmpty() {
    return phrases == 0;
  }

  /** The longest phrase starting exactly at token {@code start}, or null. */
  public Match<T> longestAt(NormalizedText text, int start) {
    Node<T> node = root.step(text.token(start));
    if (node == null) {
      return null;
    }
    Match<T> best = node.value == null ? null : new Match<>(start, start + 1, node.value);
    return longest(node, text, start + 1, start, best);
  }

  /** The first (leftmost, then longest) match in the text, or null. */
  public Match<T> first(NormalizedText text) {
    for (int i = 0, n = text.size(); i < n; i++) {
      Match<T> match = longestAt(text, i);
      if (match != null) {
        return match;
      }
    }
    return null;
  }

  /** Leftmost-longest matches that do not overlap, in text order. */
  public List<Match<T>> findAll(NormalizedText text) {
    List<Match<T>> matches = null;
    int i = 0;
    int n = text.size();
    while (i < n) {
      Match<T> match = longestAt(text, i);
      if (match == null) {
        i++;
        continue;
      }
      if (matches == null) {
        matches = new ArrayList<>(4);
      }
      matches.add(match);
      i = match.end();
    }
    return matches == null ? List.of() : matches;
  }

  private Match<T> longest(Node<T> node, NormalizedText text, int next, int start, Match<T> best) {
    int n = text.size();
    if (next < n && text.sameClause(start, next)) {
      Node<T> child = node.step(text.token(next));
      if (child != null) {
        if (child.value != null) {
          best = longer(best, new Match<>(start, next + 1, child.value));
        }
        best = longest(child, text, next + 1, start, best);
      }
    }
    if (node.gap != null) {
      for (int skip = 1; skip <= MAX_GAP; skip++) {
        int after = next + skip;
        if (after >= n || !text.sameClause(start, after)) {
          break;
        }
        Node<T> child = node.gap.step(text.token(after));
        if (child != null) {
          if (child.value != null) {
            best = longer(best, new Match<>(start, after + 1, child.value));
          }
          best = longest(child, text, after + 1, start, best);
        }
      }
      // A gap may also be empty: "account * locked" matches "account locked".
      if (next < n && text.sameClause(start, next)) {
        Node<T> child = node.gap.step(text.token(next));
        if (child != null) {
          if (child.value != null) {
            best = longer(best, new Match<>(start, next + 1, child.value));
          }
          best = longest(child, text, next + 1, start, best);
        }
      }
    }
    return best;
  }

  private static <T> Match<T> longer(Match<T> current, Match<T> candidate) {
    return current == null || candidate.end() > current.end() ? candidate : current;
  }

  /** Collects phrases; later phrases with the same words replace earlier ones. */
  public static final class Builder<T> {
    private final Map<String, T> byWords = new LinkedHashMap<>();

    public Builder<T> add(String phrase, T value) {
      if (value == null) {
        throw new IllegalArgumentException("phrase '" + phrase + "' has no value");
      }
      byWords.put(canonical(phrase), value);
      return this;
    }

    public Builder<T> addAll(Iterable<String> phrases, T value) {
      for (String phrase : phrases) {
        add(phrase, value);
      }
      return this;
    }

    public PhraseMatcher<T> build() {
      MutableNode<T> root = new MutableNode<>();
      for (Map.Entry<String, T> entry : byWords.entrySet()) {
        MutableNode<T> node = root;
        for (String word : entry.getKey().split(" ")) {
          node = node.child(word);
        }
        node.value = entry.getValue();
      }
      return new PhraseMatcher<>(root.freeze(), byWords.size());
    }

    /** The phrase in matcher form: normalised words, {@code *} kept where it means something. */
    static String canonical(String phrase) {
      if (phrase == null || phrase.isBlank()) {
        throw new IllegalArgumentException("empty phrase");
      }
      List<String> words = new ArrayList<>();
      for (String part : phrase.trim().split("\\s+")) {
        if (part.equals("*")) {
          if (words.isEmpty() || words.get(words.size() - 1).equals("*")) {
            throw new IllegalArgumentException(
                "phrase '" + phrase + "': '*' must stand between two words");
          }
          words.add("*");
        } else if (part.length() > 1 && part.endsWith("*")) {
          String stem = NormalizedText.normalize(part.substring(0, part.length() - 1));
          if (stem.isEmpty() || stem.contains(" ")) {
            throw new IllegalArgumentException(
                "phrase '" + phrase + "': '" + part + "' is not a single word prefix");
          }
          words.add(stem + "*");
        } else {
          String normalized = NormalizedText.normalize(part);
          if (!normalized.isEmpty()) {
            words.add(normalized);
          }
        }
      }
      if (words.isEmpty()) {
        throw new IllegalArgumentException("phrase '" + phrase + "' has no words");
      }
      if (words.get(words.size() - 1).equals("*")) {
        throw new IllegalArgumentException(
            "phrase '" + phrase + "': '*' must stand between two words");
      }
      return String.join(" ", words);
    }
  }

  private static final class Node<T> {
    final Map<String, Node<T>> exact;
    final String[] prefixes;
    final List<Node<T>> prefixNodes;
    final Node<T> gap;
    final T value;

    Node(Map<String, Node<T>> exact, String[] prefixes, List<Node<T>> prefixNodes, Node<T> gap,
        T value) {
      this.exact = exact;
      this.prefixes = prefixes;
      this.prefixNodes = prefixNodes;
      this.gap = gap;
      this.value = value;
    }

    Node<T> step(String token) {
      Node<T> next = exact.get(token);
      if (next != null || prefixes.length == 0) {
        return next;
      }
      for (int i = 0; i < prefixes.length; i++) {
        if (token.startsWith(prefixes[i])) {
          return prefixNodes.get(i);
        }
      }
      return null;
    }
  }

  private static final class MutableNode<T> {
    final Map<String, MutableNode<T>> children = new HashMap<>();
    T value;

    MutableNode<T> child(String word) {
      return children.computeIfAbsent(word, w -> new MutableNode<>());
    }

    Node<T> freeze() {
      Map<String, Node<T>> exact = new HashMap<>();
      List<String> prefixes = new ArrayList<>();
      List<Node<T>> prefixNodes = new ArrayList<>();
      Node<T> gap = null;
      for (Map.Entry<String, MutableNode<T>> entry : children.entrySet()) {
        String word = entry.getKey();
        Node<T> child = entry.getValue().freeze();
        if (word.equals("*")) {
          gap = child;
        } else if (word.endsWith("*")) {
          prefixes.add(word.substring(0, word.length() - 1));
          prefixNodes.add(child);
        } else {
          exact.put(word, child);
        }
      }
      return new Node<>(Map.copyOf(exact), prefixes.toArray(String[]::new),
          List.copyOf(prefixNodes), gap, value);
    }
  }
}
