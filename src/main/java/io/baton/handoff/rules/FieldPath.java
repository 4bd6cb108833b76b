package io.baton.handoff.rules;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A dotted path into the caller's metadata: {@code metadata.customer.tier}. The leading
 * {@code metadata.} may be left out, so {@code tier} and {@code metadata.tier} are the same field.
 */
public record FieldPath(List<String> segments) {

  private static final String ROOT = "metadata";

  public FieldPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("empty field path");
    }
  }

  public static FieldPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty field path");
    }
    String trimmed = text.trim();
    if (trimmed.startsWith(ROOT + ".")) {
      trimmed = trimmed.substring(ROOT.length() + 1);
    }
    String[] parts = trimmed.split("\\.", -1);
    for (String part : parts) {
      if (part.isBlank()) {
        throw new IllegalArgumentException("field path '" + text + "' has an empty segment");
      }
    }
    return new FieldPath(List.of(parts));
  }

  /** The value at this path, or null when any step is missing or not an object. */
  public Object resolve(JsonObject metadata) {
    Object current = metadata;
    for (String segment : segments) {
      if (current instanceof JsonObject object) {
        current = object.getValue(segment);
      } else if (current instanceof Map<?, ?> map) {
        current = map.get(segment);
      } else {
        return null;
      }
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return ROOT + "." + String.join(".", segments);
  }
}
