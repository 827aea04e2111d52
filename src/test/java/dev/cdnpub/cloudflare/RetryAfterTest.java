package dev.cdnpub.cloudflare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

  @Test
  void seconds_areReadAsADelay() {
    assertEquals(Optional.of(Duration.ofSeconds(2)), RetryAfter.parse("2", NOW));
    assertEquals(Optional.of(Duration.ofMillis(1500)), RetryAfter.parse(" 1.5 ", NOW));
  }

  @Test
  void httpDate_isReadAsTheTimeUntilThen() {
    assertEquals(
        Optional.of(Duration.ofSeconds(3)), RetryAfter.parse("Wed, 02 Jan 2030 03:04:08 GMT", NOW));
  }

  @Test
  void httpDateInThePast_meansNoWait() {
    assertEquals(
        Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 02 Jan 2030 03:00:00 GMT", NOW));
  }

  @Test
  void absentOrUnreadable_isEmpty() {
    assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("", NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("-3", NOW));
  }
}
