package io.baton.handoff.rules;

import io.baton.handoff.ChatMessage;
import io.baton.handoff.Speaker;
import java.util.List;

/**
 * A transcript as the matchers see it: each message is normalised at most once, on first use.
 *
 * <p>Built per evaluation and used by one thread only; the lazily filled array is why it is not
 * shared. Null messages, speakers and contents are tolerated (an empty message from nobody), so
 * a sloppy client cannot make an evaluation throw.
 */
public final class Transcript {

  private final List<ChatMessage> messages;
  private final NormalizedText[] texts;

  private Transcript(List<ChatMessage> messages) {
    this.messages = messages;
    this.texts = new NormalizedText[messages.size()];
  }

  public static Transcript of(List<ChatMessage> messages) {
    return new Transcript(messages == null ? List.of() : messages);
  }

  public int size() {
    return texts.length;
  }

  public Speaker speaker(int index) {
    ChatMessage message = messages.get(index);
    return message == null ? null : message.speaker();
  }

  public boolean isUser(int index) {
    return speaker(index) == Speaker.USER;
  }

  public String content(int index) {
    ChatMessage message = messages.get(index);
    return message == null || message.content() == null ? "" : message.content();
  }

  public NormalizedText text(int index) {
    NormalizedText text = texts[index];
    if (text == null) {
      text = NormalizedText.of(content(index));
      texts[index] = text;
    }
    return text;
  }

  /** Index of the latest message by {@code speaker} at or before {@code from}, or -1. */
  public int lastIndexOf(Speaker speaker, int from) {
    for (int i = Math.min(from, texts.length - 1); i >= 0; i--) {
      if (speaker(i) == speaker) {
        return i;
      }
    }
    return -1;
  }

  public int lastUserIndex() {
    return lastIndexOf(Speaker.USER, texts.length - 1);
  }
}
