package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.events.PgEventFeed;
import io.baton.events.PgEventLog;
import io.baton.handoff.PgHandoffStore;
import io.baton.helpdesk.PgTicketRetryStore;
import io.baton.helpdesk.PgTicketStore;
import io.baton.idempotency.PgIdempotencyStore;
import io.baton.operator.PgOperatorStore;
import io.baton.outbound.PgOutboundStore;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every statement Baton sends stays prepared on its connection: a statement longer than the client's
 * cache limit would be parsed and planned by PostgreSQL on every call (the create and webhook
 * statements were, until the limit was raised).
 */
class PreparedStatementCacheTest {

  private static final List<Class<?>> STORES = List.of(PgEventFeed.class, PgEventLog.class, PgHandoffStore.class,
      PgTicketRetryStore.class, PgTicketStore.class, PgIdempotencyStore.class, PgOperatorStore.class,
      PgOutboundStore.class);

  @Test
  void everyStatementFitsTheCache() throws IllegalAccessException {
    List<String> statements = new ArrayList<>();
    for (Class<?> store : STORES) {
      for (Field field : store.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
          field.setAccessible(true);
          String value = (String) field.get(null);
          if (value != null && value.strip().toUpperCase(Locale.ROOT).matches("(?s)(SELECT|INSERT|UPDATE|DELETE|WITH)\\b.*")) {
            statements.add(value);
          }
        }
      }
    }
    Predicate<String> cached = PgStorage.connectOptions(new PostgresConfig("postgresql://baton@localhost/baton", 4,
        "public", 2)).getPreparedStatementCacheSqlFilter();

    assertThat(statements).hasSizeGreaterThan(20);
    assertThat(statements).allSatisfy(sql -> assertThat(cached.test(sql)).as("cached: %s", sql).isTrue());
    // The busiest statements are the long ones: they are what the limit is for.
    assertThat(statements.stream().mapToInt(String::length).max().orElseThrow()).isGreaterThan(2_048);
  }
}
