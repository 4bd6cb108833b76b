package io.baton.ingest.channels;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Lenient reading of provider payloads: a field of an unexpected type is treated as absent. */
public final class Json {

  private Json() {
  }

  public static List<JsonObject> objects(JsonObject parent, String key) {
    List<JsonObject> found = new ArrayList<>();
    if (parent != null && parent.getValue(key) instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof JsonObject object) {
          found.add(object);
        }
      }
    }
    return found;
  }

  public static JsonObject object(JsonObject parent, String key) {
    return parent != null && parent.getValue(key) instanceof JsonObject object ? object : null;
  }

  /** A string, or a number written as text (ids and timestamps come both ways). */
  public static String text(JsonObject parent, String key) {
    if (parent == null) {
      return null;
    }
    Object value = parent.getValue(key);
    return value instanceof String s ? s : value instanceof Number n ? String.valueOf(n.longValue()) : null;
  }

  /** Seconds or milliseconds since the epoch, as a string or a number; {@code fallback} when absent. */
  public static Instant epoch(JsonObject parent, String key, boolean millis, Instant fallback) {
    String value = text(parent, key);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.trim());
      return millis ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
    } catch (NumberFormatException notANumber) {
      return fallback;
    }
  }
}
