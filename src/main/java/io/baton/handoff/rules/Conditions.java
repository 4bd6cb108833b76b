package io.baton.handoff.rules;

import io.baton.handoff.Priority;
import io.baton.handoff.triggers.TriggerType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the condition language of routing rules and custom triggers.
 *
 * <p>A rule's {@code when} is a list of conditions that must all hold (a single condition may
 * be written without the list). Each condition is a map with exactly one of these keys:
 *
 * <pre>
 * field: metadata.customer.tier   with one of  equals: vip | in: [vip, gold] | exists: true
 * keywords: [refund, "credit card"]  scope: any_user (default) | any | last_user
 * regex: "order #?\\d{6}"            scope: as for keywords
 * priority_at_least: HIGH
 * trigger: direct_request            or a list of trigger types
 * channel: whatsapp                  or a list of channels
 * any_of: [conditions...]   all_of: [conditions...]   not: {condition}
 * </pre>
 *
 * Any other key, a bad regular expression or an unknown priority, trigger or scope is an
 * {@link IllegalArgumentException} naming the rule and the field.
 */
public final class Conditions {

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "field", Set.of("equals", "in", "exists"),
      "keywords", Set.of("scope"),
      "regex", Set.of("scope"),
      "priority_at_least", Set.of(),
      "trigger", Set.of(),
      "channel", Set.of(),
      "any_of", Set.of(),
      "all_of", Set.of(),
      "not", Set.of());

  private Conditions() {
  }

  /**
   * Parses a rule's {@code when}.
   *
   * @param rule how error messages name the rule, e.g. {@code routing.rules[1] 'billing_issues'}
   * @param allowEmpty whether an empty list (a rule that always applies) is acceptable
   */
  public static Condition.AllOf parseWhen(Object spec, String rule, boolean allowEmpty) {
    if (spec == null) {
      throw new IllegalArgumentException(rule + ": when: required");
    }
    if (spec instanceof JsonObject single) {
      return new Condition.AllOf(List.of(parse(single, rule, "when")));
    }
    if (!(spec instanceof JsonArray list)) {
      throw new IllegalArgumentException(
          rule + ": when: expected a list of conditions, got " + ConfigReader.describe(spec));
    }
    if (list.isEmpty() && !allowEmpty) {
      throw new IllegalArgumentException(rule + ": when: needs at least one condition");
    }
    return new Condition.AllOf(parseList(list, rule, "when"));
  }

  private static List<Condition> parseList(JsonArray list, String rule, String field) {
    List<Condition> conditions = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String at = field + "[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject condition)) {
        throw fail(rule, at, "expected a condition (a map), got "
            + ConfigReader.describe(list.getValue(i)));
      }
      conditions.add(parse(condition, rule, at));
    }
    return conditions;
  }

  private static Condition parse(JsonObject spec, String rule, String at) {
    Set<String> kinds = new TreeSet<>(spec.fieldNames());
    kinds.retainAll(OPTIONS.keySet());
    if (kinds.size() != 1) {
      throw fail(rule, at, (kinds.isEmpty() ? "unknown condition " + spec.fieldNames()
          : "one condition per entry, found " + kinds) + "; expected one of "
          + new TreeSet<>(OPTIONS.keySet()));
    }
    String kind = kinds.iterator().next();
    Set<String> unknown = new TreeSet<>(spec.fieldNames());
    unknown.remove(kind);
    unknown.removeAll(OPTIONS.get(kind));
    if (!unknown.isEmpty()) {
      throw fail(rule, at, "unknown option" + (unknown.size() > 1 ? "s " : " ") + unknown
          + " for '" + kind + "'" + (OPTIONS.get(kind).isEmpty() ? ""
          : "; allowed: " + new TreeSet<>(OPTIONS.get(kind))));
    }
    String field = at + "." + kind;
    Object value = spec.getValue(kind);
    return switch (kind) {
      case "field" -> field(spec, rule, at);
      case "keywords" -> keywords(value, scope(spec, rule, at), rule, field);
      case "regex" -> regex(value, scope(spec, rule, at), rule, field);
      case "priority_at_least" -> new Condition.PriorityAtLeast(priority(value, rule, field));
      case "trigger" -> new Condition.TriggerIs(triggers(value, rule, field));
      case "channel" -> new Condition.ChannelIs(channels(value, rule, field));
      case "any_of", "all_of" -> {
        if (!(value instanceof JsonArray list) || list.isEmpty()) {
          throw fail(rule, field, "expected a non-empty list of conditions, got "
              + ConfigReader.describe(value));
        }
        List<Condition> nested = parseList(list, rule, field);
        yield kind.equals("any_of") ? new Condition.AnyOf(nested) : new Condition.AllOf(nested);
      }
      case "not" -> {
        if (!(value instanceof JsonObject nested)) {
          throw fail(rule, field, "expected a condition (a map), got "
              + ConfigReader.describe(value));
        }
        yield new Condition.Not(parse(nested, rule, field));
      }
      default -> throw new IllegalStateException(kind);
    };
  }

  private static Condition field(JsonObject spec, String rule, String at) {
    FieldPath path;
    try {
      path = FieldPath.parse(spec.getValue("field") instanceof String s ? s : null);
    } catch (IllegalArgumentException e) {
      throw fail(rule, at + ".field", e.getMessage());
    }
    Set<String> tests = new TreeSet<>(spec.fieldNames());
    tests.retainAll(OPTIONS.get("field"));
    if (tests.size() != 1) {
      throw fail(rule, at, "a field condition needs exactly one of equals, in, exists; found "
          + tests);
    }
    String test = tests.iterator().next();
    String field = at + "." + test;
    Object value = spec.getValue(test);
    return switch (test) {
      case "equals" -> {
        if (!isScalar(value)) {
          throw fail(rule, field, "expected a string, number or boolean, got "
              + ConfigReader.describe(value));
        }
        yield Condition.FieldIn.of(path, List.of(value), true);
      }
      case "in" -> {
        if (!(value instanceof JsonArray list) || list.isEmpty()) {
          throw fail(rule, field, "expected a non-empty list, got " + ConfigReader.describe(value));
        }
        List<Object> values = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          if (!isScalar(list.getValue(i))) {
            throw fail(rule, field + "[" + i + "]", "expected a string, number or boolean, got "
                + ConfigReader.describe(list.getValue(i)));
          }
          values.add(list.getValue(i));
        }
        yield Condition.FieldIn.of(path, values, false);
      }
      default -> {
        if (!(value instanceof Boolean exists)) {
          throw fail(rule, field, "expected true or false, got " + ConfigReader.describe(value));
        }
        yield new Condition.FieldExists(path, exists);
      }
    };
  }

  private static boolean isScalar(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  private static Condition.Scope scope(JsonObject spec, String rule, String at) {
    Object value = spec.getValue("scope");
    if (value == null) {
      return Condition.Scope.ANY_USER;
    }
    if (value instanceof String s) {
      for (Condition.Scope scope : Condition.Scope.values()) {
        if (scope.wireName().equalsIgnoreCase(s.trim())) {
          return scope;
        }
      }
    }
    throw fail(rule, at + ".scope", "expected one of "
        + Arrays.stream(Condition.Scope.values()).map(Condition.Scope::wireName).toList()
        + ", got " + ConfigReader.describe(value));
  }

  private static Condition keywords(Object value, Condition.Scope scope, String rule,
      String field) {
    List<String> keywords = strings(value, rule, field);
    try {
      return new Condition.Keywords(keywords, PhraseMatcher.of(keywords), scope);
    } catch (IllegalArgumentException badPhrase) {
      throw fail(rule, field, badPhrase.getMessage());
    }
  }

  private static Condition regex(Object value, Condition.Scope scope, String rule, String field) {
    if (!(value instanceof String expression) || expression.isEmpty()) {
      throw fail(rule, field, "expected a regular expression, got "
          + ConfigReader.describe(value));
    }
    try {
      return new Condition.Regex(
          Pattern.compile(expression, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), scope);
    } catch (PatternSyntaxException bad) {
      throw fail(rule, field, "invalid regular expression: "
          + bad.getMessage().replace(System.lineSeparator(), " "));
    }
  }

  private static Priority priority(Object value, String rule, String field) {
    return Priority.parse(value instanceof String s ? s : null).orElseThrow(() -> fail(rule, field,
        "unknown priority " + ConfigReader.describe(value) + "; expected one of "
            + Arrays.toString(Priority.values())));
  }

  private static Set<TriggerType> triggers(Object value, String rule, String field) {
    Set<TriggerType> types = EnumSet.noneOf(TriggerType.class);
    for (String name : strings(value, rule, field)) {
      types.add(TriggerType.parse(name).orElseThrow(() -> fail(rule, field,
          "unknown trigger '" + name + "'; expected one of "
              + Arrays.stream(TriggerType.values()).map(TriggerType::wireName).toList())));
    }
    return types;
  }

  private static Set<String> channels(Object value, String rule, String field) {
    Set<String> channels = new HashSet<>();
    for (String channel : strings(value, rule, field)) {
      channels.add(channel.trim().toLowerCase(Locale.ROOT));
    }
    return channels;
  }

  /** One string or a non-empty list of them. */
  private static List<String> strings(Object value, String rule, String field) {
    if (value instanceof String single && !single.isBlank()) {
      return List.of(single);
    }
    if (value instanceof JsonArray list && !list.isEmpty()) {
      Set<String> items = new LinkedHashSet<>();
      for (int i = 0; i < list.size(); i++) {
        if (!(list.getValue(i) instanceof String s) || s.isBlank()) {
          throw fail(rule, field + "[" + i + "]", "expected a non-empty string, got "
              + ConfigReader.describe(list.getValue(i)));
        }
        items.add(s);
      }
      return List.copyOf(items);
    }
    throw fail(rule, field, "expected a string or a non-empty list of strings, got "
        + ConfigReader.describe(value));
  }

  private static IllegalArgumentException fail(String rule, String field, String problem) {
    return new IllegalArgumentException(rule + ": " + field + ": " + problem);
  }
}
