package io.baton.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Overrides settings of the YAML file from {@code BATON_…} environment variables.
 *
 * <p>The variable's name is derived from each setting's path in the file (http.port → BATON_HTTP_PORT),
 * so only settings the file documents can be overridden, and the derivation is never ambiguous even
 * though keys contain underscores. Values are parsed to the type of the default: numbers, booleans,
 * and JSON for lists and maps.
 */
final class EnvOverrides {

  static final String PREFIX = "BATON_";

  private EnvOverrides() {
  }

  /** Applies the overrides in place; answers the BATON_ variables that name no setting. */
  static List<String> apply(JsonObject config, Map<String, String> env) {
    Set<String> used = new HashSet<>();
    walk(config, PREFIX, env, used);
    List<String> unknown = new ArrayList<>();
    for (String name : env.keySet()) {
      if (name.startsWith(PREFIX) && !used.contains(name) && !NOT_SETTINGS.contains(name)) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  /** Variables that steer start-up or the tests rather than name a setting. */
  private static final Set<String> NOT_SETTINGS =
      Set.of("BATON_CONFIG", "BATON_TEST_PG_URL", "BATON_TEST_REDIS_URL");

  private static void walk(JsonObject node, String prefix, Map<String, String> env, Set<String> used) {
    for (String key : List.copyOf(node.fieldNames())) {
      String name = prefix + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      Object current = node.getValue(key);
      String override = env.get(name);
      if (override != null) {
        used.add(name);
        node.put(key, parse(name, override, current));
      } else if (current instanceof JsonObject child) {
        walk(child, name + "_", env, used);
      }
    }
  }

  private static Object parse(String name, String text, Object current) {
    try {
      return switch (current) {
        case Integer ignored -> Integer.parseInt(text.trim());
        case Long ignored -> Long.parseLong(text.trim());
        case Number ignored -> Double.parseDouble(text.trim());
        case Boolean ignored -> parseBoolean(name, text);
        case JsonObject ignored -> new JsonObject(text);
        case JsonArray ignored -> new JsonArray(text);
        case null, default -> text;
      };
    } catch (NumberFormatException | DecodeException e) {
      throw new IllegalArgumentException(
          name + " has an invalid value (" + e.getMessage() + "); expected a value like " + current);
    }
  }

  private static boolean parseBoolean(String name, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, not '" + text + "'");
    };
  }
}
