package io.baton.handoff;

/** One line of a conversation transcript. */
public record ChatMessage(Speaker speaker, String content) {

  public static ChatMessage user(String content) {
    return new ChatMessage(Speaker.USER, content);
  }

  public static ChatMessage ai(String content) {
    return new ChatMessage(Speaker.AI, content);
  }
}
