package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.BatonInstance;
import io.baton.support.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgHandoffApiTest extends HandoffApiContract {

  @Override
  protected BatonInstance startBaton() {
    return BatonInstance.postgres(Map.of());
  }

  @Test
  void cancellingAHandoffThatIsNoLongerPendingIsAConflictWithTheCurrentState() {
    JsonObject body = new JsonObject().put("conversation_id", conversation()).put("user_id", "u")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hi")));
    String id = createHandoff(body).bodyAsJsonObject().getString("handoff_id");
    // Assignment arrives with operator work; until then, arrange it in SQL.
    TestServices.execute(baton.schema(),
        "UPDATE handoffs SET status = 'assigned', assigned_agent = 'agent-1' WHERE handoff_id = '" + id + "'");

    JsonObject problem = post("cancelHandoff", "/api/v1/handoffs/" + id + "/cancel", new JsonObject())
        .bodyAsJsonObject();

    assertThat(problem.getInteger("status")).isEqualTo(409);
    assertThat(problem.getString("current_status")).isEqualTo("assigned");
    assertThat(problem.getJsonObject("handoff").getString("assigned_agent")).isEqualTo("agent-1");
  }

  @Test
  void aClosedConversationCannotBeHandedOff() {
    String conversationId = conversation();
    JsonObject body = new JsonObject().put("conversation_id", conversationId).put("user_id", "u")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hi")));
    String id = createHandoff(body).bodyAsJsonObject().getString("handoff_id");
    post("cancelHandoff", "/api/v1/handoffs/" + id + "/cancel", new JsonObject());
    // Closing arrives with operator work; until then, arrange it in SQL.
    TestServices.execute(baton.schema(),
        "UPDATE conversations SET owner = 'CLOSED' WHERE conversation_id = '" + conversationId + "'");

    JsonObject problem = createHandoff(body).bodyAsJsonObject();

    assertThat(problem.getInteger("status")).isEqualTo(422);
    assertThat(problem.getString("detail")).contains("closed");
  }
}
