package io.baton.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * What one webhook POST held: the customer's messages, status reports, and the counts of what was
 * left out and why (never a reason to refuse the POST).
 */
public final class ParsedWebhook {

  public final List<InboundMessage> messages = new ArrayList<>();
  public final List<StatusUpdate> statuses = new ArrayList<>();
  /** Updates of kinds Baton does not handle (unknown objects, fields, event types). */
  public int unsupported;
  /** Echoes of our own sends (Messenger is_echo, X DMs sent by the subscribed account). */
  public int echoes;
  /** Updates of an account the signing secret does not belong to. */
  public int foreignAccount;
}
