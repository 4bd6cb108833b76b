package io.baton.ops;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids a log line is about (request, handoff, conversation), kept with the Vert.x context of the
 * request or bus message being handled, not with a thread: an event loop interleaves many requests,
 * and a thread-local would lend one request's ids to the next. Each HTTP request and each bus message
 * runs on a context of its own (a duplicate), and its callbacks come back to it, so the ids follow
 * the work wherever it continues. {@link LogIdsFilter} copies them into the logging MDC at each log call.
 */
public final class LogIds {

  public static final String REQUEST_ID = "request_id";
  public static final String HANDOFF_ID = "handoff_id";
  public static final String CONVERSATION_ID = "conversation_id";
  public static final List<String> KEYS = List.of(REQUEST_ID, HANDOFF_ID, CONVERSATION_ID);

  /** Bus message headers that carry the ids from sender to consumer, by id. */
  public static final Map<String, String> HEADERS = Map.of(
      REQUEST_ID, "request-id", HANDOFF_ID, "handoff-id", CONVERSATION_ID, "conversation-id");

  /** Longest id kept: ids come from callers, and a log line must stay a line of sensible size. */
  private static final int MAX_LENGTH = 200;
  private static final Object KEY = new Object();

  private LogIds() {
  }

  /** The ids of the request or message being handled; null off a request's context. */
  @SuppressWarnings("unchecked")
  public static Map<String, String> current() {
    Context context = Vertx.currentContext();
    if (!(context instanceof ContextInternal internal) || !internal.isDuplicate()) {
      return null;
    }
    return (Map<String, String>) internal.localContextData().get(KEY);
  }

  /**
   * Records an id for the request or message being handled. Ignored off a duplicated context (a
   * verticle's own timers): ids put there would stick to every later line of that verticle.
   */
  public static void put(String key, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      @SuppressWarnings("unchecked")
      Map<String, String> ids = (Map<String, String>) internal.localContextData()
          .computeIfAbsent(KEY, k -> new ConcurrentHashMap<String, String>());
      ids.put(key, value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value);
    }
  }

  /**
   * Takes the handoff and conversation ids a command or answer names: at its top level, or in the
   * request body or handoff it carries. Only strings count: bodies are callers' data.
   */
  public static void from(io.vertx.core.json.JsonObject json) {
    if (json == null) {
      return;
    }
    for (String key : List.of(HANDOFF_ID, CONVERSATION_ID)) {
      String id = text(json, key);
      for (String nested : List.of("body", "handoff")) {
        if (id == null && json.getValue(nested) instanceof io.vertx.core.json.JsonObject inner) {
          id = text(inner, key);
        }
      }
      put(key, id);
    }
  }

  private static String text(io.vertx.core.json.JsonObject json, String key) {
    return json.getValue(key) instanceof String id ? id : null;
  }

  public static String get(String key) {
    Map<String, String> ids = current();
    return ids == null ? null : ids.get(key);
  }
}
