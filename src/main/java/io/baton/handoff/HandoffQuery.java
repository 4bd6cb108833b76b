package io.baton.handoff;

/** Filters and page of a handoff listing; null filters match everything. Pages count from 1. */
public record HandoffQuery(
    HandoffStatus status,
    String queue,
    String agentId,
    String conversationId,
    String userId,
    Priority priority,
    int page,
    int pageSize) {

  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;

  public int offset() {
    // A page far past the end (page=1e300 arrives as Integer.MAX_VALUE) must not overflow into a
    // negative offset: it is simply empty.
    return (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * pageSize);
  }

  public boolean matches(Handoff h) {
    return (status == null || h.status() == status)
        && (queue == null || queue.equals(h.queue()))
        && (agentId == null || agentId.equals(h.assignedAgent()))
        && (conversationId == null || conversationId.equals(h.conversationId()))
        && (userId == null || userId.equals(h.userId()))
        && (priority == null || h.priority() == priority);
  }
}
