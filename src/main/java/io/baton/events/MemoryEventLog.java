package io.baton.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The event log of the embedded mode. Ids are assigned under the caller's lock, in append order,
 * so a reader never sees a gap. It keeps the newest {@code capacity} events: memory stays bounded,
 * and a reader that falls further behind than that must reload its state (as it must after the
 * retention window in PostgreSQL).
 */
public final class MemoryEventLog {

  private final int capacity;
  private final ArrayDeque<Event> events;
  private long lastId;

  public MemoryEventLog(int capacity) {
    this.capacity = capacity;
    this.events = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  public synchronized Event append(Event event) {
    Event stored = event.withId(++lastId);
    if (events.size() == capacity) {
      events.removeFirst();
    }
    events.addLast(stored);
    return stored;
  }

  public synchronized List<Event> readAfter(long afterId, int limit) {
    List<Event> result = new ArrayList<>(Math.min(limit, events.size()));
    for (Event event : events) {
      if (event.id() > afterId) {
        result.add(event);
        if (result.size() == limit) {
          break;
        }
      }
    }
    return result;
  }
}
