package io.baton.handoff;

import io.baton.events.Event;
import io.vertx.core.json.JsonObject;

/**
 * A ticket of Baton's own helpdesk, written in the same transaction as the handoff it is opened
 * for: with the built-in helpdesk a create stays one statement and one commit, and its answer
 * already carries the ticket. {@code row} holds the tickets table's columns by name;
 * {@code created} is the ticket's event.
 */
public record InlineTicket(String ticketId, String ticketUrl, JsonObject row, Event created) {
}
