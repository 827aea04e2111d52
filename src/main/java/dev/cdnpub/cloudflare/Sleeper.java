package dev.cdnpub.cloudflare;

import java.time.Duration;

/**
 * Waits between retries. Passed in so that tests can record the requested delays instead of
 * waiting. Implementations are called from whichever thread runs the request and must be
 * thread-safe when a {@link CloudflareApi} is shared.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Blocks for {@code duration} (never negative).
   *
   * @throws InterruptedException if the thread is interrupted; the caller gives up the request
   */
  void sleep(Duration duration) throws InterruptedException;

  /** The real clock: {@link Thread#sleep(long)}. */
  static Sleeper system() {
    return duration -> Thread.sleep(duration.toMillis());
  }
}
