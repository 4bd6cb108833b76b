package io.baton.security;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What may be logged of a request. Credentials travel in {@code Authorization}, {@code X-API-Key} and,
 * for event streams, the {@code access_token} query parameter (and Meta's handshake sends its
 * {@code hub.verify_token} in the query): anything that logs a request's URI or headers goes through
 * here, so a log line never carries a key or token.
 */
public final class Redaction {

  static final String MASK = "[redacted]";
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("(?i)((?:^|[?&])(?:access_token|hub\\.verify_token|hub%2Everify_token)=)[^&#]*");
  private static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-api-key", "cookie",
      "proxy-authorization", "x-chatbot-secret");

  private Redaction() {
  }

  /** {@code uri} with the value of every {@code access_token} and {@code hub.verify_token} masked. */
  public static String uri(String uri) {
    return uri == null ? null : ACCESS_TOKEN.matcher(uri).replaceAll("$1" + MASK);
  }

  /** The header's value, or a mask for headers that carry credentials. */
  public static String header(String name, String value) {
    return name != null && SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? MASK : value;
  }
}
