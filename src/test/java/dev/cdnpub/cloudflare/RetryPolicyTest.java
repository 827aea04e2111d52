package dev.cdnpub.cloudflare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofMillis(700));

  @Test
  void backoffCeiling_doublesFromBaseDelayUpToMaxDelay() {
    assertEquals(Duration.ofMillis(100), policy.backoffCeiling(1));
    assertEquals(Duration.ofMillis(200), policy.backoffCeiling(2));
    assertEquals(Duration.ofMillis(400), policy.backoffCeiling(3));
    assertEquals(Duration.ofMillis(700), policy.backoffCeiling(4));
    assertEquals(Duration.ofMillis(700), policy.backoffCeiling(1_000));
  }

  @Test
  void backoff_isFullJitterBetweenZeroAndTheCeiling() {
    Random random = new Random(1);
    long lowest = Long.MAX_VALUE;
    long highest = 0;
    for (int i = 0; i < 2_000; i++) {
      long millis = policy.backoff(3, random).toMillis();
      lowest = Math.min(lowest, millis);
      highest = Math.max(highest, millis);
    }
    assertTrue(lowest >= 0 && lowest < 40, "lowest " + lowest);
    assertTrue(highest <= 400 && highest > 360, "highest " + highest);
  }

  @Test
  void invalidSettings_areRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(1, Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO));
  }
}
