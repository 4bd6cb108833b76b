package io.baton.bus;

/** Event-bus addresses, named {@code <capability>.<cmd|evt>.<name>}. */
public final class Addresses {

  public static final String HANDOFF_CHECK = "handoff.cmd.check";
  public static final String HANDOFF_CREATE = "handoff.cmd.create";
  public static final String HANDOFF_GET = "handoff.cmd.get";
  public static final String HANDOFF_LIST = "handoff.cmd.list";
  public static final String HANDOFF_CANCEL = "handoff.cmd.cancel";

  public static final String OPERATOR_ASSIGN = "operator.cmd.assign";
  public static final String OPERATOR_RELEASE = "operator.cmd.release";
  public static final String OPERATOR_RESOLVE = "operator.cmd.resolve";
  public static final String OPERATOR_ANSWER = "operator.cmd.answer";
  public static final String OPERATOR_PUT_AGENT = "operator.cmd.put_agent";
  public static final String OPERATOR_AGENT = "operator.cmd.agent";
  public static final String OPERATOR_AGENTS = "operator.cmd.agents";
  public static final String OPERATOR_CONVERSATION = "operator.cmd.conversation";
  public static final String OPERATOR_OWNERS = "operator.cmd.owners";
  public static final String OPERATOR_REQUEST_HANDOFF = "operator.cmd.request_handoff";
  public static final String OPERATOR_ASSIGN_CONVERSATION = "operator.cmd.assign_conversation";
  public static final String OPERATOR_RELEASE_CONVERSATION = "operator.cmd.release_conversation";
  public static final String OPERATOR_QUEUE = "operator.cmd.queue";
  public static final String OPERATOR_ADD_MESSAGE = "operator.cmd.add_message";
  public static final String OPERATOR_MESSAGES = "operator.cmd.messages";
  /** {@code {conversation_id, user_id, messages: [body…]}}: a channel's burst, stored in order in one go. */
  public static final String OPERATOR_ADD_MESSAGES = "operator.cmd.add_messages";
  /**
   * {@code {marks: [{tenant, conversation_id, message_id}…]}}: webhook messages now in the bot's
   * debounce buffer, no longer awaiting it (every tenant's; sent by the ingest capability).
   */
  public static final String OPERATOR_CLEAR_AWAITING = "operator.cmd.clear_awaiting";
  /**
   * {@code {older_than_ms, lease_ms, limit}}: claims, under a lease, webhook messages stored that
   * long ago and still awaiting the bot's buffer; answers {@code {messages: [{tenant,
   * conversation_id, message_id, media}…]}} (every tenant's; the ingest capability's sweeper).
   */
  public static final String OPERATOR_CLAIM_AWAITING = "operator.cmd.claim_awaiting";
  public static final String OPERATOR_TAKEOVER = "operator.cmd.takeover";
  public static final String OPERATOR_HANDBACK = "operator.cmd.handback";
  public static final String OPERATOR_MESSAGE = "operator.cmd.operator_message";
  /**
   * {@code {conversation_ids, message_id, status}}: a channel's delivery report; answers {@code {updated}}.
   * With {@code up_to} (an instant) instead of {@code message_id}: every message sent up to then is read.
   */
  public static final String OPERATOR_DELIVERY_STATUS = "operator.cmd.delivery_status";
  /** {@code {queue}}: a handoff was queued there; sent (no reply awaited) after a create. */
  public static final String OPERATOR_AUTO_ASSIGN = "operator.cmd.auto_assign";
  /** {@code {handoff_id}}: a pending handoff's queue_position and estimated_wait_seconds ({} otherwise). */
  public static final String OPERATOR_STANDING = "operator.cmd.standing";

  /** {@code {channel, mode, verify_token, challenge}} or {@code {channel: twitter, crc_token}}: the handshakes. */
  public static final String INGEST_VERIFY = "ingest.cmd.verify";
  /** A webhook's raw body (a Buffer); headers {@link #CHANNEL_HEADER} and {@link #SIGNATURE_HEADER}. */
  public static final String INGEST_RECEIVE = "ingest.cmd.receive";
  /** {@code {secret, body}}: a chatbot escalates a session to a human. */
  public static final String INGEST_CHATBOT = "ingest.cmd.chatbot";
  public static final String INGEST_STATS = "ingest.cmd.stats";
  public static final String CHANNEL_HEADER = "channel";
  public static final String SIGNATURE_HEADER = "signature";
  public static final String HELPDESK_CREATE_TICKET = "helpdesk.cmd.create_ticket";
  public static final String HELPDESK_GET_TICKET = "helpdesk.cmd.get_ticket";
  public static final String HELPDESK_UPDATE_TICKET = "helpdesk.cmd.update_ticket";
  public static final String HELPDESK_ADD_TICKET_MESSAGE = "helpdesk.cmd.add_ticket_message";
  public static final String HELPDESK_TICKET_STATUS = "helpdesk.cmd.ticket_status";
  public static final String HELPDESK_ASSIGN_TICKET = "helpdesk.cmd.assign_ticket";
  public static final String HELPDESK_LIST_TICKETS = "helpdesk.cmd.list_tickets";
  public static final String HELPDESK_CUSTOMER_TICKETS = "helpdesk.cmd.customer_tickets";
  public static final String HELPDESK_CUSTOMER = "helpdesk.cmd.customer";
  /** {@code {handoff, transcript}}: the handoff's ticket, opened or found: {@code {ticket_id, ticket_url}}. */
  public static final String HELPDESK_OPEN_TICKET = "helpdesk.cmd.open_ticket";
  /** {@code {handoff_id}}: {@code {ticket_status, ticket_attempts, ticket_error, ticket_next_attempt_at}} or {}. */
  public static final String HELPDESK_TICKET_RETRY = "helpdesk.cmd.ticket_retry";

  public static final String OPS_READINESS = "ops.cmd.readiness";
  /** {@code {}}: answers {@code {text}}, the Prometheus text of this process's meters. */
  public static final String OPS_METRICS = "ops.cmd.metrics";

  /** Published by the relay for every committed event, in id order, to this process: {@code EventBatch}es. */
  public static final String EVENTS_APPENDED = "events.evt.appended";
  /** Reads the log up to what the relay has published: replays for resumed streams. */
  public static final String EVENTS_READ = "events.cmd.read";

  /** Message header that carries the HTTP request's id across the bus, for logs. */
  public static final String REQUEST_ID_HEADER = "request-id";
  /**
   * The tenant a command acts for: the authenticated caller's (set by the HTTP layer), or the one a
   * webhook's channel account belongs to. Absent means the default tenant.
   */
  public static final String TENANT_HEADER = "tenant";

  private Addresses() {
  }
}
