package io.baton.ingest.debounce;

class MemoryDebouncerTest extends DebouncerContract {

  private MemoryDebouncer debouncer;

  @Override
  protected Debouncer debouncer() {
    debouncer = new MemoryDebouncer(CONFIG, clock, 10_000);
    return debouncer;
  }

  @Override
  protected Debouncer secondInstance() {
    return debouncer;
  }
}
