package dev.cdnpub.store;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * How long the S3 client waits and how often it tries, so that no request to R2 can hang: see
 * "Timeouts and retries" in docs/publish.md. {@link #DEFAULT} is what cdnpub uses; tests pass
 * shorter limits through {@code StoreFactory.withLimits}.
 *
 * @param connectTimeout opening a TCP (and TLS) connection
 * @param socketTimeout the longest silence while reading an answer
 * @param attemptTimeout one request from start to end, body upload included; also ends a request
 *     whose body the server stopped reading (a socket timeout covers reads only)
 * @param callTimeout one operation with all its attempts and the waits between them
 * @param maxAttempts requests per operation in all (the SDK's "standard" retry strategy: network
 *     errors, 5xx and throttling answers such as 503 SlowDown are retried)
 * @param backoffBase the backoff ceiling after the first failure; doubles per failure, full jitter
 * @param throttlingBackoffBase as {@code backoffBase}, after a throttling answer (503 SlowDown,
 *     429)
 * @param noticeWait a wait before a retry this long or longer is announced to the user
 * @param maxWait the longest wait before a retry, also when a server's Retry-After asks for more
 *     (the SDK alone would wait any length)
 */
public record S3ClientLimits(
    Duration connectTimeout,
    Duration socketTimeout,
    Duration attemptTimeout,
    Duration callTimeout,
    int maxAttempts,
    Duration backoffBase,
    Duration throttlingBackoffBase,
    Duration noticeWait,
    Duration maxWait) {

  /** The longest single wait between two attempts (the SDK's own cap). */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

  /**
   * Connect 10 s, socket 30 s, one request 5 min (a 64 MiB single PUT at 220 KB/s, or a 16 MiB part
   * at 55 KB/s), one operation 15 min, 4 attempts, backoff from 100 ms (1 s after throttling);
   * waits of 3 s or more are announced, and none is longer than 30 s whatever Retry-After says.
   */
  public static final S3ClientLimits DEFAULT =
      new S3ClientLimits(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          4,
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          Duration.ofSeconds(3),
          Duration.ofSeconds(30));

  /**
   * The waits between attempts: full-jitter exponential from {@link #backoffBase} (from {@link
   * #throttlingBackoffBase} after a throttling answer), each at most {@link #MAX_BACKOFF}.
   */
  public BackoffStrategy backoff(boolean throttled) {
    return BackoffStrategy.exponentialDelay(
        throttled ? throttlingBackoffBase : backoffBase, MAX_BACKOFF);
  }

  public S3ClientLimits {
    for (Duration d : new Duration[] {connectTimeout, socketTimeout, attemptTimeout, callTimeout}) {
      Objects.requireNonNull(d, "timeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(
            "timeouts must be positive (zero would mean none), was " + d);
      }
    }
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(throttlingBackoffBase, "throttlingBackoffBase");
    Objects.requireNonNull(noticeWait, "noticeWait");
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
  }
}
