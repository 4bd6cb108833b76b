package io.baton.operator;

import io.baton.storage.GroupCommit;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes awaiting-the-bot marks in few statements: a removal waits up to {@link #LINGER} for others
 * and they go out together, up to {@link #MAX_MARKS} in one statement (a full statement goes at once).
 * A mark only has to be gone before the sweeper would take it (ingest.rebuffer.after_ms, 30 s by
 * default), so waiting costs nothing, while a statement and a commit per webhook were most of what
 * PostgreSQL spent on the marks at moderate rates (bench/RESULTS.md, session 6). A removal that is
 * lost (a failed statement, a stop within the wait) leaves its marks: the sweeper buffers those
 * messages again, at least once, as it does for every mark left behind.
 */
final class AwaitingRemovals {

  static final Duration LINGER = Duration.ofMillis(50);
  static final int MAX_MARKS = 1_000;

  /**
   * Two statements name the same marks only when the sweeper buffered a webhook's late ones again;
   * should they deadlock, one fails and its marks stay for the sweeper.
   */
  static final String REMOVE = "DELETE FROM awaiting_bot WHERE seq = ANY($1::bigint[])";

  private final Vertx vertx;
  private final Pool pool;
  private List<Long> marks = new ArrayList<>();
  private List<Promise<Void>> removals = new ArrayList<>();
  private boolean timerSet;
  private int statements;

  AwaitingRemovals(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /**
   * Completes once the marks are removed, at most {@link #LINGER} later plus the statement's time, on
   * the caller's event loop.
   */
  Future<Void> remove(List<Long> more) {
    Context caller = Vertx.currentContext();
    Promise<Void> removed = Promise.promise();
    boolean full;
    boolean setTimer;
    synchronized (this) {
      marks.addAll(more);
      removals.add(removed);
      full = marks.size() >= MAX_MARKS;
      setTimer = !full && !timerSet;
      timerSet |= setTimer;
    }
    if (full) {
      flush();
    } else if (setTimer) {
      vertx.setTimer(LINGER.toMillis(), timer -> {
        synchronized (this) {
          timerSet = false;
        }
        flush();
      });
    }
    return GroupCommit.onCallerContext(caller, removed.future());
  }

  /** Statements sent so far. */
  synchronized int statements() {
    return statements;
  }

  private void flush() {
    List<Long> taken;
    List<Promise<Void>> answered;
    synchronized (this) {
      if (marks.isEmpty()) {
        return;
      }
      taken = marks;
      answered = removals;
      marks = new ArrayList<>();
      removals = new ArrayList<>();
      statements++;
    }
    pool.preparedQuery(REMOVE).execute(Tuple.of(taken.toArray(Long[]::new)))
        .onComplete(done -> answered.forEach(removal -> removal.handle(done.mapEmpty())));
  }
}
