package io.baton.events;

/** The event types Baton writes. */
public final class EventTypes {

  public static final String HANDOFF_CREATED = "handoff.created";
  public static final String HANDOFF_CANCELLED = "handoff.cancelled";
  public static final String HANDOFF_ASSIGNED = "handoff.assigned";
  public static final String HANDOFF_RELEASED = "handoff.released";
  public static final String HANDOFF_RESOLVED = "handoff.resolved";
  /** A pending handoff waited its queue's max wait: raised a priority step and/or moved to a fallback queue. */
  public static final String HANDOFF_ESCALATED = "handoff.escalated";
  public static final String CONVERSATION_TAKEN_OVER = "conversation.taken_over";
  public static final String CONVERSATION_HANDED_BACK = "conversation.handed_back";
  public static final String CONVERSATION_CLOSED = "conversation.closed";
  public static final String MESSAGE_CREATED = "message.created";
  /** A channel reported a sent message's delivery status (sent, delivered, read, failed), moving it forward. */
  public static final String MESSAGE_STATUS_UPDATED = "message.status_updated";
  /** A message for the customer could not be sent: data {message_id, channel, attempts, error}. */
  public static final String MESSAGE_DELIVERY_FAILED = "message.delivery_failed";
  /** A channel's send circuit breaker changed state on an instance: data {channel, state}. */
  public static final String CHANNEL_BREAKER_CHANGED = "channel.breaker_changed";
  /** A handoff's helpdesk ticket is known: ticket_id and ticket_url are set. */
  public static final String HANDOFF_TICKET_LINKED = "handoff.ticket_linked";
  public static final String TICKET_CREATED = "ticket.created";
  public static final String TICKET_UPDATED = "ticket.updated";
  public static final String TICKET_MESSAGE_ADDED = "ticket.message_added";
  public static final String TICKET_ASSIGNED = "ticket.assigned";
  /** A handoff's ticket could not be made within helpdesk.retry.max_attempts. */
  public static final String TICKET_FAILED = "ticket.failed";
  /** An external helpdesk's circuit breaker changed state on an instance: data {helpdesk, state}. */
  public static final String HELPDESK_BREAKER_CHANGED = "helpdesk.breaker_changed";
  /** A human answered an approval handoff; the answer goes back to the bot. */
  public static final String HIL_RESPONSE = "hil_response";

  private EventTypes() {
  }
}
