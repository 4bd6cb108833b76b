package io.baton.handoff.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.handoff.ChatMessage;
import io.baton.handoff.Priority;
import io.baton.handoff.Speaker;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** Runs every conversation of {@code triggers/conversations.yaml} through the engine. */
class LabelledConversationsTest {

  private static final String TABLE = "/triggers/conversations.yaml";

  record Case(String label, List<ChatMessage> messages, JsonObject metadata, String channel,
      boolean handoff, TriggerType trigger, Priority priority) {

    @Override
    public String toString() {
      return label;
    }
  }

  private static final Map<String, Object> DOCUMENT = load();
  private static final TriggerEngine ENGINE =
      TriggerEngine.fromConfig(new JsonObject(section("config")));

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conversationIsLabelledCorrectly(Case c) {
    Optional<TriggerResult> result = ENGINE.evaluate(c.messages(), c.metadata(), c.channel());

    if (!c.handoff()) {
      assertThat(result).as("no trigger expected, all fired: %s",
          ENGINE.evaluateAll(c.messages(), c.metadata(), c.channel())).isEmpty();
      return;
    }
    assertThat(result).as("a handoff is expected").isPresent();
    assertThat(result.get().type()).as("trigger, result %s", result.get()).isEqualTo(c.trigger());
    assertThat(result.get().suggestedPriority()).as("priority, result %s", result.get())
        .isEqualTo(c.priority());
    assertThat(result.get().matched()).isNotBlank();
    assertThat(result.get().confidence()).isBetween(0.0, 1.0);
  }

  @Test
  void tableIsLargeAndCoversEveryTriggerTypeAndBothOutcomes() {
    List<Case> all = cases().map(a -> (Case) a.get()[0]).toList();

    assertThat(all).hasSizeGreaterThanOrEqualTo(60);
    assertThat(all).extracting(Case::label).doesNotHaveDuplicates();
    assertThat(all).filteredOn(c -> !c.handoff()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(all).extracting(Case::trigger).filteredOn(t -> t != null)
        .containsAll(List.of(TriggerType.values()));
  }

  static Stream<Arguments> cases() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) DOCUMENT.get("cases");
    return rows.stream().map(LabelledConversationsTest::toCase).map(Arguments::of);
  }

  @SuppressWarnings("unchecked")
  private static Case toCase(Map<String, Object> row) {
    String label = (String) row.get("label");
    List<ChatMessage> messages = new ArrayList<>();
    for (Map<String, Object> line : (List<Map<String, Object>>) row.get("messages")) {
      Map.Entry<String, Object> only = line.entrySet().iterator().next();
      Speaker speaker = Speaker.parse(only.getKey())
          .orElseThrow(() -> new IllegalStateException(label + ": unknown speaker " + only));
      if (!(only.getValue() instanceof String content)) {
        // YAML reads a bare yes/no/42 as a boolean or number: the table must quote it.
        throw new IllegalStateException(label + ": quote the message " + only.getValue());
      }
      messages.add(new ChatMessage(speaker, content));
    }
    Map<String, Object> metadata = (Map<String, Object>) row.get("metadata");
    boolean handoff = (Boolean) row.get("handoff");
    TriggerType trigger = row.containsKey("trigger")
        ? TriggerType.parse((String) row.get("trigger")).orElseThrow() : null;
    Priority priority = row.containsKey("priority")
        ? Priority.parse((String) row.get("priority")).orElseThrow() : null;
    if (handoff && (trigger == null || priority == null)) {
      throw new IllegalStateException(label + ": a handoff row needs trigger and priority");
    }
    return new Case(label, List.copyOf(messages),
        metadata == null ? null : new JsonObject(metadata), (String) row.get("channel"), handoff,
        trigger, priority);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(String name) {
    return (Map<String, Object>) DOCUMENT.get(name);
  }

  private static Map<String, Object> load() {
    try (InputStream in = LabelledConversationsTest.class.getResourceAsStream(TABLE)) {
      if (in == null) {
        throw new IllegalStateException(TABLE + " is missing from the test resources");
      }
      return new Yaml().load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + TABLE, e);
    }
  }
}
