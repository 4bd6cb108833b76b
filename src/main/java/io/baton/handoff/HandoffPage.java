package io.baton.handoff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

public record HandoffPage(List<Handoff> handoffs, long totalCount, int page, int pageSize) {

  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    handoffs.forEach(h -> items.add(h.toJson()));
    return new JsonObject()
        .put("handoffs", items)
        .put("total_count", totalCount)
        .put("page", page)
        .put("page_size", pageSize);
  }
}
