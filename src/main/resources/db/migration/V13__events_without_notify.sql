-- The events NOTIFY trigger goes. A transaction that has sent NOTIFY holds the notification
-- queue's lock from before its commit until after it, WAL flush included, so every transaction
-- that appended an event committed one after the other: with 16 clients inserting rows, 12k
-- inserts/s without the trigger and 1.5k-2.7k with it (pgbench, same machine, same minute). The
-- relays poll the log instead (events.poll_ms), which costs a cheap indexed read per interval.
DROP TRIGGER events_appended ON events;
DROP FUNCTION notify_events_appended();
