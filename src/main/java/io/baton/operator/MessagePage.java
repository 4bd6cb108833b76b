package io.baton.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One page of a conversation's messages, oldest first. */
public record MessagePage(List<ConversationMessage> messages, long totalCount, int page, int pageSize) {

  /** Where page {@code page} starts; a page far past the end (page=1e300) stays past the end, never negative. */
  static int offset(int page, int pageSize) {
    return (int) Math.min(Integer.MAX_VALUE, (long) (Math.max(1, page) - 1) * pageSize);
  }

  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    messages.forEach(m -> items.add(m.toJson()));
    return new JsonObject()
        .put("messages", items)
        .put("total_count", totalCount)
        .put("page", page)
        .put("page_size", pageSize);
  }
}
