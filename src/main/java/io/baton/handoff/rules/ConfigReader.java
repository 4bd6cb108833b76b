package io.baton.handoff.rules;

import io.baton.handoff.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one config section, fills in defaults and records the values in effect.
 *
 * <p>Every problem is an {@link IllegalArgumentException} naming the full path of the setting,
 * so a typo stops start-up with a message that says where to look. Values overridden through
 * environment variables arrive as strings, so numbers and booleans are also accepted in string
 * form ("5", "true").
 */
public final class ConfigReader {

  private final JsonObject source;
  private final String path;
  private final String separator;
  private final JsonObject effective = new JsonObject();
  private final Set<String> read = new HashSet<>();

  private ConfigReader(JsonObject source, String path, String separator) {
    this.source = source == null ? new JsonObject() : source;
    this.path = path;
    this.separator = separator;
  }

  /** A section at a dotted path such as {@code triggers.failure_pattern}. */
  public static ConfigReader of(JsonObject source, String path) {
    return new ConfigReader(source, path, ".");
  }

  /**
   * A rule in a list, named the way rule errors are: {@code routing.rules[1] 'billing_issues'},
   * followed by ": " and the field.
   */
  public static ConfigReader ofRule(JsonObject source, String label) {
    return new ConfigReader(source, label, ": ");
  }

  /** Where a key sits, as error messages show it. */
  public String pathOf(String key) {
    return path + separator + key;
  }

  public boolean has(String key) {
    return source.getValue(key) != null;
  }

  public boolean bool(String key, boolean fallback) {
    Object value = take(key);
    boolean result;
    if (value == null) {
      result = fallback;
    } else if (value instanceof Boolean b) {
      result = b;
    } else if (value instanceof String s && (s.equalsIgnoreCase("true")
        || s.equalsIgnoreCase("false"))) {
      result = Boolean.parseBoolean(s);
    } else {
      throw invalid(key, "expected true or false", value);
    }
    effective.put(key, result);
    return result;
  }

  public int integer(String key, int fallback, int min, int max) {
    Object value = take(key);
    int result;
    if (value == null) {
      result = fallback;
    } else {
      Double number = asNumber(value);
      if (number == null || number != Math.rint(number) || number < min || number > max) {
        throw invalid(key, "expected a whole number from " + min + " to " + max, value);
      }
      result = number.intValue();
    }
    effective.put(key, result);
    return result;
  }

  public double decimal(String key, double fallback, double min, double max) {
    Object value = take(key);
    double result;
    if (value == null) {
      result = fallback;
    } else {
      Double number = asNumber(value);
      if (number == null || number < min || number > max) {
        throw invalid(key, "expected a number from " + min + " to " + max, value);
      }
      result = number;
    }
    effective.put(key, result);
    return result;
  }

  /** A non-blank string, or the fallback when absent; a null fallback makes the key required. */
  public String string(String key, String fallback) {
    Object value = take(key);
    String result;
    if (value == null) {
      if (fallback == null) {
        throw new IllegalArgumentException(pathOf(key) + ": required");
      }
      result = fallback;
    } else if (value instanceof String s && !s.isBlank()) {
      result = s.trim();
    } else {
      throw invalid(key, "expected a non-empty string", value);
    }
    effective.put(key, result);
    return result;
  }

  /** A string when present, null when absent: the effective config leaves it out too. */
  public String optionalString(String key) {
    if (!has(key)) {
      read.add(key);
      return null;
    }
    return string(key, "");
  }

  public Priority priority(String key, Priority fallback) {
    Object value = take(key);
    Priority result;
    if (value == null) {
      result = fallback;
    } else {
      result = Priority.parse(value instanceof String s ? s : null).orElseThrow(() ->
          invalid(key, "expected one of " + Arrays.toString(Priority.values()), value));
    }
    if (result != null) {
      effective.put(key, result.name());
    }
    return result;
  }

  /** A list of non-blank strings; absent means the fallback. */
  public List<String> strings(String key, List<String> fallback) {
    Object value = take(key);
    List<String> result;
    if (value == null) {
      result = List.copyOf(fallback);
    } else {
      if (value instanceof String single && !single.isBlank()) {
        value = new JsonArray().add(single);
      }
      if (!(value instanceof JsonArray array)) {
        throw invalid(key, "expected a list of strings", value);
      }
      List<String> items = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String s) || s.isBlank()) {
          throw new IllegalArgumentException(
              pathOf(key) + "[" + i + "]: expected a non-empty string, got " + describe(
                  array.getValue(i)));
        }
        items.add(s.trim());
      }
      result = List.copyOf(items);
    }
    effective.put(key, new JsonArray(new ArrayList<>(result)));
    return result;
  }

  /** A map of word to number, for lexicon overrides. */
  public Map<String, Double> numbers(String key) {
    Object value = take(key);
    JsonObject result = new JsonObject();
    if (value != null) {
      if (!(value instanceof JsonObject object)) {
        throw invalid(key, "expected a map of word to number", value);
      }
      for (String word : object.fieldNames()) {
        Double number = asNumber(object.getValue(word));
        if (number == null || word.isBlank()) {
          throw new IllegalArgumentException(pathOf(key) + "." + word + ": expected a number, got "
              + describe(object.getValue(word)));
        }
        result.put(word, number);
      }
    }
    effective.put(key, result);
    Map<String, Double> map = new LinkedHashMap<>();
    result.forEach(entry -> map.put(entry.getKey(), (Double) entry.getValue()));
    return map;
  }

  /** A nested section; its effective values are recorded under the same key. */
  public ConfigReader section(String key) {
    Object value = take(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw invalid(key, "expected a section (a map of settings)", value);
    }
    ConfigReader nested = new ConfigReader((JsonObject) value, pathOf(key), ".");
    effective.put(key, nested.effective);
    return nested;
  }

  /** A list of sections (rules); absent means the fallback list. */
  public JsonArray sections(String key, JsonArray fallback) {
    Object value = take(key);
    JsonArray result = value == null ? fallback : null;
    if (value instanceof JsonArray array) {
      result = array;
    } else if (value != null) {
      throw invalid(key, "expected a list", value);
    }
    for (int i = 0; i < result.size(); i++) {
      if (!(result.getValue(i) instanceof JsonObject)) {
        throw new IllegalArgumentException(pathOf(key) + "[" + i + "]: expected a map, got "
            + describe(result.getValue(i)));
      }
    }
    return result;
  }

  /** The value as written, for settings the caller parses itself; null when absent. */
  public Object raw(String key) {
    return take(key);
  }

  /** Records a value computed by the caller (for example canonical rules) as in effect. */
  public void putEffective(String key, Object value) {
    effective.put(key, value);
  }

  /** Fails on any key nobody asked for: a misspelt setting must not be silently ignored. */
  public ConfigReader rejectUnknownKeys() {
    Set<String> unknown = new TreeSet<>(source.fieldNames());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(path + ": unknown setting"
          + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + "; known: "
          + String.join(", ", new TreeSet<>(read)));
    }
    return this;
  }

  /** The settings in effect, defaults included, in config form. */
  public JsonObject effective() {
    return effective;
  }

  private Object take(String key) {
    read.add(key);
    return source.getValue(key);
  }

  private IllegalArgumentException invalid(String key, String expected, Object value) {
    return new IllegalArgumentException(pathOf(key) + ": " + expected + ", got " + describe(value));
  }

  static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof JsonObject) {
      return "a map";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    return String.valueOf(value);
  }

  private static Double asNumber(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.valueOf(s.trim());
      } catch (NumberFormatException notANumber) {
        return null;
      }
    }
    return null;
  }
}
