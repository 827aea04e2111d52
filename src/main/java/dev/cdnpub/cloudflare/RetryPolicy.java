package dev.cdnpub.cloudflare;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How {@link CloudflareApi} retries HTTP 429, 5xx and network failures: at most {@code maxAttempts}
 * requests in all, none started after {@code maxTotalTime} has passed since the first, and between
 * two requests a wait of exponential backoff with full jitter, {@code random(0 .. min(maxDelay,
 * baseDelay * 2^(n-1)))} after the n-th failure, unless the server sent {@code retry-after}.
 *
 * @param maxAttempts requests in all, at least 1 (1 means no retry)
 * @param maxTotalTime the time after which no further request is started
 * @param baseDelay the backoff ceiling after the first failure
 * @param maxDelay the longest single wait, also for a {@code retry-after} the server asks for
 */
public record RetryPolicy(
    int maxAttempts, Duration maxTotalTime, Duration baseDelay, Duration maxDelay) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    requireNotNegative(maxTotalTime, "maxTotalTime");
    requireNotNegative(baseDelay, "baseDelay");
    requireNotNegative(maxDelay, "maxDelay");
  }

  /**
   * Four attempts within a minute, with backoff ceilings of 0.5 s, 1 s and 2 s: enough to ride out
   * a brief 5xx. A 429's {@code retry-after} is honoured up to 30 s.
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        4, Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /**
   * The jittered wait after {@code failedAttempts} failures (1 after the first), drawn uniformly
   * from zero to {@link #backoffCeiling(int)} inclusive.
   */
  public Duration backoff(int failedAttempts, RandomGenerator random) {
    long ceilingMillis = backoffCeiling(failedAttempts).toMillis();
    return Duration.ofMillis(random.nextLong(ceilingMillis + 1));
  }

  /** {@code min(maxDelay, baseDelay * 2^(failedAttempts-1))}, without overflowing. */
  public Duration backoffCeiling(int failedAttempts) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException(
          "failedAttempts must be at least 1, was " + failedAttempts);
    }
    long base = baseDelay.toMillis();
    long max = maxDelay.toMillis();
    int shift = Math.min(failedAttempts - 1, 62);
    // Shifting only while the result stays below max keeps the doubling from overflowing.
    long grown = base <= (max >> shift) ? base << shift : max;
    return Duration.ofMillis(Math.min(grown, max));
  }

  private static void requireNotNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }
}
