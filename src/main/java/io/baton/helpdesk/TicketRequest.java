package io.baton.helpdesk;

import io.baton.handoff.ChatMessage;
import io.baton.handoff.Handoff;
import io.baton.handoff.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What every adapter needs to open a handoff's ticket: the requester is the conversation's user,
 * the transcript is the first comment, the handoff id is the external id that finds the ticket
 * again. Built from the bus message {@code {handoff, transcript}}.
 */
public record TicketRequest(
    String handoffId,
    String conversationId,
    String userId,
    String subject,
    String description,
    String requesterName,
    String requesterEmail,
    String requesterPhone,
    Priority priority,
    List<String> tags,
    String channel,
    boolean lookupFirst,
    String tenant) {

  static final int SUBJECT_CHARS = 120;

  /**
   * {@code lookupFirst}: an earlier attempt may have made the ticket (it timed out, or a create is
   * repeated): adapters look it up by external id before making one.
   */
  public static JsonObject message(String tenant, Handoff handoff, boolean lookupFirst) {
    return new JsonObject().put("tenant", tenant).put("handoff", handoff.toJson())
        .put("transcript", Handoff.transcriptJson(handoff.transcript()))
        .put("lookup_first", lookupFirst);
  }

  public static TicketRequest from(JsonObject message) {
    JsonObject handoff = message.getJsonObject("handoff");
    JsonArray transcript = message.getJsonArray("transcript", new JsonArray());
    List<ChatMessage> lines = Handoff.transcriptFrom(transcript);
    JsonObject metadata = handoff.getJsonObject("metadata", new JsonObject());
    JsonObject customer = metadata.getValue("customer") instanceof JsonObject c ? c : new JsonObject();
    String firstUserLine = lines.stream().filter(m -> m.speaker().wireName().equals("user"))
        .map(ChatMessage::content).findFirst().orElse("");
    String subject = "Handoff: " + (firstUserLine.isBlank() ? "conversation " + handoff.getString("conversation_id")
        : firstUserLine.strip().replaceAll("\\s+", " "));
    if (subject.length() > SUBJECT_CHARS) {
      subject = subject.substring(0, SUBJECT_CHARS - 1) + "…";
    }
    StringBuilder description = new StringBuilder();
    for (ChatMessage line : lines) {
      description.append(line.speaker().wireName()).append(": ").append(line.content()).append('\n');
    }
    List<String> tags = new ArrayList<>();
    handoff.getJsonArray("tags", new JsonArray()).forEach(t -> tags.add(String.valueOf(t)));
    tags.add("baton");
    if (handoff.getString("assigned_queue") != null) {
      tags.add(handoff.getString("assigned_queue"));
    }
    return new TicketRequest(
        handoff.getString("handoff_id"),
        handoff.getString("conversation_id"),
        handoff.getString("user_id"),
        subject,
        description.toString(),
        text(customer, metadata, "name", handoff.getString("user_id")),
        text(customer, metadata, "email", null),
        text(customer, metadata, "phone", null),
        Priority.parse(handoff.getString("priority")).orElse(Priority.MEDIUM),
        List.copyOf(tags),
        metadata.getValue("channel") instanceof String channel ? channel : null,
        message.getBoolean("lookup_first", false),
        // The handoff's tenant: the built-in helpdesk files its ticket there.
        message.getString("tenant", "default"));
  }

  /** metadata.customer.{key}, else metadata.{key}, else the fallback. */
  private static String text(JsonObject customer, JsonObject metadata, String key, String fallback) {
    if (customer.getValue(key) instanceof String value && !value.isBlank()) {
      return value;
    }
    return metadata.getValue(key) instanceof String value && !value.isBlank() ? value : fallback;
  }

  /** Zendesk's and the built-in names: LOW→low, MEDIUM→normal, HIGH→high, URGENT and CRITICAL→urgent. */
  public String zendeskPriority() {
    return switch (priority) {
      case LOW -> "low";
      case MEDIUM -> "normal";
      case HIGH -> "high";
      case URGENT, CRITICAL -> "urgent";
    };
  }

  /** Freshdesk's numbers: 1 low · 2 medium · 3 high · 4 urgent. */
  public int freshdeskPriority() {
    return switch (priority) {
      case LOW -> 1;
      case MEDIUM -> 2;
      case HIGH -> 3;
      case URGENT, CRITICAL -> 4;
    };
  }

  /** The built-in helpdesk's priority names. */
  public String builtinPriority() {
    return switch (priority) {
      case LOW -> "low";
      case MEDIUM -> "medium";
      case HIGH -> "high";
      case URGENT, CRITICAL -> "urgent";
    };
  }
}
