package io.baton.helpdesk;

/** Filters and page of a ticket listing; null filters match everything. Pages count from 1. */
public record TicketQuery(TicketStatus status, String assignedAgentId, int page, int pageSize) {

  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;

  public int offset() {
    // A page far past the end (page=1e300 arrives as Integer.MAX_VALUE) must not overflow into a
    // negative offset: it is simply empty.
    return (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * pageSize);
  }

  public boolean matches(Ticket t) {
    return (status == null || t.status() == status)
        && (assignedAgentId == null || assignedAgentId.equals(t.assignedAgentId()));
  }
}
