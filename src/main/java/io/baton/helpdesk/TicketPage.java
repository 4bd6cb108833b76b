package io.baton.helpdesk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

public record TicketPage(List<Ticket> tickets, long totalCount, int page, int pageSize) {

  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    tickets.forEach(t -> items.add(t.toJson()));
    return new JsonObject()
        .put("tickets", items)
        .put("total_count", totalCount)
        .put("page", page)
        .put("page_size", pageSize);
  }
}
