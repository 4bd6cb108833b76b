package io.baton.handoff;

/** Who owns a conversation. While it is not the bot, nothing the customer writes goes to the bot. */
public enum Owner {
  BOT, QUEUED, AGENT, CLOSED
}
