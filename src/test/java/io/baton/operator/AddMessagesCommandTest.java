package io.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.AutoAssignConfig;
import io.baton.storage.MemoryStorage;
import io.baton.support.Await;
import io.baton.support.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The webhook path's store command: one conversation's failure does not hide what the others stored. */
@Timeout(30)
class AddMessagesCommandTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  private final MemoryStorage storage = new MemoryStorage();
  private final Vertx vertx = Vertx.vertx();
  private final OperatorService service = new OperatorService(storage.operator(), vertx.eventBus(),
      Duration.ofSeconds(5), clock, new AutoAssigner(storage.operator(), new AutoAssignConfig(false, Map.of()), clock),
      2);

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  private static JsonObject conversation(String id, String owner, String... messageIds) {
    JsonArray messages = new JsonArray();
    for (String messageId : messageIds) {
      messages.add(new JsonObject().put("message_id", messageId).put("message_owner", owner).put("content", "hi"));
    }
    return new JsonObject().put("conversation_id", id).put("user_id", id).put("messages", messages);
  }

  @Test
  void eachConversationIsAnsweredOnItsOwn() {
    JsonObject command = new JsonObject().put("conversations", new JsonArray()
        .add(conversation("whatsapp:1", "user", "wamid.a", "wamid.b"))
        .add(conversation("whatsapp:2", "nobody", "wamid.c"))
        .add(conversation("whatsapp:3", "user", "wamid.d")));

    JsonArray answers = Await.result(service.addMessages("default", command)).getJsonArray("conversations");

    assertThat(answers.getJsonObject(0).getJsonArray("created_ids")).containsExactly("wamid.a", "wamid.b");
    assertThat(answers.getJsonObject(1).getString("failed")).isNotBlank();
    assertThat(answers.getJsonObject(2).getJsonArray("created_ids")).containsExactly("wamid.d");
    assertThat(Await.result(storage.operator().messages("default", "whatsapp:3", 1, 10)).messages()).hasSize(1);
  }

  @Test
  void aRepeatedMessageIsStoredOnceAndNotReportedAsNew() {
    JsonObject first = new JsonObject().put("conversations", new JsonArray().add(conversation("whatsapp:1", "user",
        "wamid.a")));
    JsonObject again = new JsonObject().put("conversations", new JsonArray().add(conversation("whatsapp:1", "user",
        "wamid.a", "wamid.b")));

    Await.result(service.addMessages("default", first));
    JsonArray answers = Await.result(service.addMessages("default", again)).getJsonArray("conversations");

    assertThat(answers.getJsonObject(0).getJsonArray("created_ids")).containsExactly("wamid.b");
  }

  @Test
  void onlyTheCustomersMessagesFlaggedAwaitBotAreMarkedAndTheSweepersCommandsClaimAndClearThem() {
    JsonObject conversation = conversation("whatsapp:1", "user", "wamid.a", "wamid.b");
    conversation.getJsonArray("messages").getJsonObject(0).put("await_bot", true);
    JsonObject agent = conversation("whatsapp:1", "agent", "agent-1");
    agent.getJsonArray("messages").getJsonObject(0).put("await_bot", true).put("agent_id", "ana");
    JsonArray answers = Await.result(service.addMessages("default", new JsonObject().put("conversations",
        new JsonArray().add(conversation).add(agent)))).getJsonArray("conversations");
    clock.advance(Duration.ofSeconds(31));

    JsonArray claimed = Await.result(service.claimAwaiting(new JsonObject().put("older_than_ms", 30_000)
        .put("lease_ms", 30_000).put("limit", 10))).getJsonArray("messages");

    assertThat(claimed).hasSize(1);
    assertThat(claimed.getJsonObject(0).getString("message_id")).isEqualTo("wamid.a");
    assertThat(claimed.getJsonObject(0).getString("tenant")).isEqualTo("default");
    JsonArray marks = answers.getJsonObject(0).getJsonArray("marks");
    assertThat(marks).as("the store's answer names the mark the sweeper claims").hasSize(1)
        .containsExactly(claimed.getJsonObject(0).getLong("mark"));
    assertThat(answers.getJsonObject(1).getJsonArray("marks")).isEmpty();
    Await.result(service.clearAwaiting(new JsonObject().put("marks", marks)));
    clock.advance(Duration.ofSeconds(31));
    assertThat(Await.result(service.claimAwaiting(new JsonObject().put("older_than_ms", 30_000)
        .put("lease_ms", 30_000).put("limit", 10))).getJsonArray("messages")).isEmpty();
  }
}
