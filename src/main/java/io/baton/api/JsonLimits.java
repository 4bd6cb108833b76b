package io.baton.api;

import io.vertx.core.buffer.Buffer;

/**
 * Bounds on the shape of a JSON request body, checked over its bytes before it is parsed: how deep
 * objects and arrays nest, and how long one string (key or value) is. A body within the byte limit can
 * still be a thousand nested arrays or one huge string; the parser and the triggers would pay for both.
 */
record JsonLimits(int maxDepth, int maxStringLength) {

  static final JsonLimits DEFAULT = new JsonLimits(32, 65_536);

  /** What is over a limit, naming the limit; null when the body is within both. Malformed JSON is left to the parser. */
  String violation(Buffer body) {
    int depth = 0;
    boolean inString = false;
    int length = 0;
    int size = body.length();
    for (int i = 0; i < size; i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (b == '"') {
          inString = false;
          continue;
        }
        if (b == '\\' && i + 1 < size) {
          // An escape is one character: \n, \" ... or \\uXXXX.
          i += body.getByte(i + 1) == 'u' ? 5 : 1;
        } else if ((b & 0xC0) == 0x80) {
          // A UTF-8 continuation byte belongs to the character already counted.
          continue;
        }
        if (++length > maxStringLength) {
          return "A string in the request body is longer than " + maxStringLength
              + " characters (limits.json.max_string_length)";
        }
        continue;
      }
      switch (b) {
        case '"' -> {
          inString = true;
          length = 0;
        }
        case '{', '[' -> {
          if (++depth > maxDepth) {
            return "The request body nests objects and arrays deeper than " + maxDepth + " levels (limits.json.max_depth)";
          }
        }
        case '}', ']' -> depth--;
        default -> {
        }
      }
    }
    return null;
  }
}
