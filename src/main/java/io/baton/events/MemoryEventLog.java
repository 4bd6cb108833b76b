package io.baton.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The event log of the embedded mode. Ids are assigned under the caller's lock, in append order,
 * so a reader never sees a gap. It keeps the newest {@code capacity} events: memory stays bounded,
 * and a reader that falls further behind than that must reload its state (as it must after the
 * retention window in PostgreSQL); {@link #prunedThrough()} says where that line is.
 */
public final class MemoryEventLog {

  private final int capacity;
  private final ArrayDeque<Event> events;
  private long lastId;
  private long prunedThrough;
  private volatile Runnable onAppend = () -> { };

  public MemoryEventLog(int capacity) {
    this.capacity = capacity;
    this.events = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  public synchronized Event append(Event event) {
    Event stored = event.withId(++lastId);
    if (events.size() == capacity) {
      prunedThrough = events.removeFirst().id();
    }
    events.addLast(stored);
    // A wake-up hint for the relay; it must not block (it only schedules work).
    onAppend.run();
    return stored;
  }

  /** Called after every append, under the log's lock: it must only schedule work. */
  public void onAppend(Runnable listener) {
    onAppend = listener == null ? () -> { } : listener;
  }

  public List<Event> readAfter(long afterId, int limit) {
    return read(afterId, Long.MAX_VALUE, null, limit);
  }

  public synchronized List<Event> read(long afterId, long throughId, String handoffId, int limit) {
    List<Event> result = new ArrayList<>(Math.min(limit, events.size()));
    if (afterId >= lastId || limit <= 0) {
      return result;
    }
    // Ids are contiguous here, so a reader near the end (the relay, a recent resume) starts from
    // the end instead of walking the whole log.
    Iterator<Event> from = events.iterator();
    if (lastId - afterId < events.size() / 2) {
      Iterator<Event> backwards = events.descendingIterator();
      int newer = (int) (lastId - afterId);
      ArrayDeque<Event> tail = new ArrayDeque<>(newer);
      while (backwards.hasNext() && tail.size() < newer) {
        tail.addFirst(backwards.next());
      }
      from = tail.iterator();
    }
    while (from.hasNext()) {
      Event event = from.next();
      if (event.id() > throughId) {
        break;
      }
      if (event.id() > afterId && (handoffId == null || handoffId.equals(event.handoffId()))) {
        result.add(event);
        if (result.size() == limit) {
          break;
        }
      }
    }
    return result;
  }

  public synchronized long lastId() {
    return lastId;
  }

  public synchronized long prunedThrough() {
    return prunedThrough;
  }

  /** Removes the oldest events that happened before {@code cutoff}, up to {@code throughId}. */
  public synchronized int prune(Instant cutoff, long throughId, int limit) {
    int removed = 0;
    while (removed < limit && !events.isEmpty()
        && events.peekFirst().id() <= throughId && events.peekFirst().at().isBefore(cutoff)) {
      prunedThrough = events.removeFirst().id();
      removed++;
    }
    return removed;
  }
}
