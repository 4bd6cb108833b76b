package io.baton.events;

/** The event types Baton writes. */
public final class EventTypes {

  public static final String HANDOFF_CREATED = "handoff.created";
  public static final String HANDOFF_CANCELLED = "handoff.cancelled";

  private EventTypes() {
  }
}
