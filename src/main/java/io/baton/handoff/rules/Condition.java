package io.baton.handoff.rules;

import io.baton.handoff.Priority;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One test in the condition language shared by routing rules and custom triggers. Conditions
 * are parsed and compiled once, by {@link Conditions#parse}, and are immutable.
 */
public sealed interface Condition {

  boolean test(RuleContext context);

  /**
   * What made the condition hold ("metadata.tier = vip", the words that matched), to explain a
   * decision. Only meaningful after {@link #test} returned true.
   */
  String evidence(RuleContext context);

  /** The condition in config form with every option spelt out. */
  JsonObject toJson();

  /** Which messages a content condition reads. */
  enum Scope {
    /** Every message, whoever wrote it. */
    ANY,
    /** Every message the customer wrote. */
    ANY_USER,
    /** Only the customer's latest message. */
    LAST_USER;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The first match in the messages of this scope, newest first: {@code matchAt} answers the match
     * in message i, or null.
     */
    String firstMatch(Transcript transcript, IntFunction<String> matchAt) {
      if (this == LAST_USER) {
        int last = transcript.lastUserIndex();
        return last < 0 ? null : matchAt.apply(last);
      }
      for (int i = transcript.size() - 1; i >= 0; i--) {
        if (this == ANY || transcript.isUser(i)) {
          String found = matchAt.apply(i);
          if (found != null) {
            return found;
          }
        }
      }
      return null;
    }
  }

  /**
   * A metadata value equals one of the given strings, numbers or booleans. Strings compare
   * without regard to case and numbers by value ("42" equals 42), so that config written by hand
   * matches what clients send.
   *
   * @param values the values as written in config
   * @param canonical the same values in comparable form
   * @param single written as {@code equals} (one value) rather than {@code in}
   */
  record FieldIn(FieldPath path, List<Object> values, Set<Object> canonical, boolean single)
      implements Condition {

    public static FieldIn of(FieldPath path, List<Object> values, boolean single) {
      Set<Object> canonical = new HashSet<>();
      for (Object value : values) {
        Object comparable = canonical(value);
        if (comparable == null) {
          throw new IllegalArgumentException("expected strings, numbers or booleans, got " + value);
        }
        canonical.add(comparable);
      }
      return new FieldIn(path, List.copyOf(values), Set.copyOf(canonical), single);
    }

    @Override
    public boolean test(RuleContext context) {
      Object actual = path.resolve(context.metadata());
      if (actual == null) {
        return false;
      }
      Object comparable = canonical(actual);
      return comparable != null && canonical.contains(comparable);
    }

    @Override
    public String evidence(RuleContext context) {
      return path + " = " + path.resolve(context.metadata());
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("field", path.toString());
      return single ? json.put("equals", values.get(0)) : json.put("in", new JsonArray(values));
    }

    static Object canonical(Object value) {
      if (value instanceof String s) {
        String trimmed = s.trim();
        BigDecimal number = parseNumber(trimmed);
        return number != null ? number : trimmed.toLowerCase(Locale.ROOT);
      }
      if (value instanceof Number n) {
        return parseNumber(n.toString());
      }
      if (value instanceof Boolean b) {
        return b.toString();
      }
      return null;
    }

    private static BigDecimal parseNumber(String text) {
      if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')) {
        return null;
      }
      try {
        BigDecimal number = new BigDecimal(text).stripTrailingZeros();
        return number.scale() < 0 ? number.setScale(0) : number;
      } catch (NumberFormatException notANumber) {
        return null;
      }
    }
  }

  /** A metadata value is present and not null ({@code exists: true}), or absent. */
  record FieldExists(FieldPath path, boolean exists) implements Condition {
    @Override
    public boolean test(RuleContext context) {
      return (path.resolve(context.metadata()) != null) == exists;
    }

    @Override
    public String evidence(RuleContext context) {
      return path + (exists ? " present" : " absent");
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("field", path.toString()).put("exists", exists);
    }
  }

  /** One of the keywords (whole words or phrases, any case and accents) appears in a message. */
  record Keywords(List<String> keywords, PhraseMatcher<String> matcher, Scope scope)
      implements Condition {
    public Keywords {
      keywords = List.copyOf(keywords);
    }

    @Override
    public boolean test(RuleContext context) {
      return find(context) != null;
    }

    @Override
    public String evidence(RuleContext context) {
      return find(context);
    }

    private String find(RuleContext context) {
      Transcript transcript = context.transcript();
      return scope.firstMatch(transcript, i -> findIn(transcript.text(i)));
    }

    private String findIn(NormalizedText text) {
      PhraseMatcher.Match<String> match = matcher.first(text);
      return match == null ? null : text.span(match.start(), match.end());
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("keywords", new JsonArray(keywords))
          .put("scope", scope.wireName());
    }
  }

  /** A regular expression (case-insensitive, searched anywhere) finds a match in a message. */
  record Regex(Pattern pattern, Scope scope) implements Condition {
    @Override
    public boolean test(RuleContext context) {
      return find(context) != null;
    }

    @Override
    public String evidence(RuleContext context) {
      return find(context);
    }

    private String find(RuleContext context) {
      Transcript transcript = context.transcript();
      return scope.firstMatch(transcript, i -> findIn(transcript.content(i)));
    }

    private String findIn(String content) {
      Matcher matcher = pattern.matcher(content);
      return matcher.find() ? matcher.group() : null;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("regex", pattern.pattern()).put("scope", scope.wireName());
    }
  }

  /** The priority decided so far is at least this one; false when there is none yet. */
  record PriorityAtLeast(Priority floor) implements Condition {
    @Override
    public boolean test(RuleContext context) {
      return context.priority() != null && !floor.isAbove(context.priority());
    }

    @Override
    public String evidence(RuleContext context) {
      return "priority " + context.priority();
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("priority_at_least", floor.name());
    }
  }

  /** One of these triggers fired. */
  record TriggerIs(Set<TriggerType> types) implements Condition {
    public TriggerIs {
      types = Set.copyOf(types);
    }

    @Override
    public boolean test(RuleContext context) {
      for (TriggerType fired : context.triggers()) {
        if (types.contains(fired)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String evidence(RuleContext context) {
      return "trigger " + context.triggers().stream().filter(types::contains)
          .map(TriggerType::wireName).findFirst().orElse("");
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("trigger", new JsonArray(types.stream().sorted()
          .map(TriggerType::wireName).toList()));
    }
  }

  /** The conversation runs on one of these channels (any case). */
  record ChannelIs(Set<String> channels) implements Condition {
    public ChannelIs {
      channels = Set.copyOf(channels);
    }

    @Override
    public boolean test(RuleContext context) {
      String channel = context.channel();
      return channel != null && channels.contains(channel.trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public String evidence(RuleContext context) {
      return "channel " + context.channel();
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("channel", new JsonArray(channels.stream().sorted().toList()));
    }
  }

  /** Every condition holds (true for an empty list). */
  record AllOf(List<Condition> conditions) implements Condition {
    public AllOf {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(RuleContext context) {
      for (Condition condition : conditions) {
        if (!condition.test(context)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String evidence(RuleContext context) {
      return String.join("; ", conditions.stream().map(c -> c.evidence(context)).toList());
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("all_of", toJsonArray(conditions));
    }
  }

  /** At least one condition holds. */
  record AnyOf(List<Condition> conditions) implements Condition {
    public AnyOf {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(RuleContext context) {
      for (Condition condition : conditions) {
        if (condition.test(context)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String evidence(RuleContext context) {
      for (Condition condition : conditions) {
        if (condition.test(context)) {
          return condition.evidence(context);
        }
      }
      return "";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("any_of", toJsonArray(conditions));
    }
  }

  /** The condition does not hold. */
  record Not(Condition condition) implements Condition {
    @Override
    public boolean test(RuleContext context) {
      return !condition.test(context);
    }

    @Override
    public String evidence(RuleContext context) {
      return "not (" + condition.toJson().encode() + ")";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("not", condition.toJson());
    }
  }

  static JsonArray toJsonArray(List<Condition> conditions) {
    JsonArray array = new JsonArray();
    conditions.forEach(condition -> array.add(condition.toJson()));
    return array;
  }
}
