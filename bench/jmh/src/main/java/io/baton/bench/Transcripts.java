package io.baton.bench;

import io.baton.handoff.ChatMessage;
import java.util.List;

/** Realistic ten-message conversations, as a chat platform sends them to the check endpoint. */
final class Transcripts {

  /** A routine refund question the bot handles: no trigger fires, every trigger reads it all. */
  static final List<ChatMessage> CALM = List.of(
      ChatMessage.user("Hi, I returned a pair of running shoes last week and I'm waiting for the"
          + " money to come back."),
      ChatMessage.ai("Hello! I'm sorry for the wait. Could you share your order number so I can"
          + " check the status of your return?"),
      ChatMessage.user("Sure, it's 4417-2290. I sent them back with the prepaid label."),
      ChatMessage.ai("Thanks! I can see the parcel reached our warehouse on Tuesday and the"
          + " return was approved yesterday."),
      ChatMessage.user("Great, so when will I see the refund on my card?"),
      ChatMessage.ai("Refunds go back to the original payment method. Most banks show them"
          + " within 3 to 5 business days."),
      ChatMessage.user("Ok. Will I get an email when it's processed?"),
      ChatMessage.ai("Yes, you'll receive a confirmation email as soon as the refund is issued,"
          + " with the amount and the reference."),
      ChatMessage.user("Perfect, and can I use the same label for another return next month?"),
      ChatMessage.ai("Each label is single-use, but you can create a new one from Orders >"
          + " Returns at any time. Anything else I can help with?"));

  /**
   * The same topic going wrong: the bot fails, the customer repeats, gets angry, mentions a
   * chargeback and asks for a person, so several triggers fire.
   */
  static final List<ChatMessage> ESCALATING = List.of(
      ChatMessage.user("Hi, I returned a pair of running shoes two weeks ago and still have no"
          + " refund."),
      ChatMessage.ai("Hello! Could you share your order number so I can check your return?"),
      ChatMessage.user("It's 4417-2290, where is my refund?"),
      ChatMessage.ai("I'm sorry, I didn't get that. Could you rephrase your question?"),
      ChatMessage.user("Where is my refund for order 4417-2290?"),
      ChatMessage.ai("I'm not sure I follow. You can track orders from the Orders page."),
      ChatMessage.user("This is ridiculous, I have asked three times already!!!"),
      ChatMessage.ai("I understand your frustration. Could you rephrase your question?"),
      ChatMessage.user("Where is my refund for order 4417-2290??"),
      ChatMessage.user("This is USELESS. I'll file a chargeback, let me talk to a real person"
          + " now!!!"));

  private Transcripts() {
  }
}
