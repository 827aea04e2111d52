package dev.cdnpub.testing;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.cloudflare.CloudflareApi;
import dev.cdnpub.cloudflare.RetryPolicy;
import dev.cdnpub.store.S3ClientLimits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;

/**
 * cdnpub's remote clients with timeouts short enough for fault tests on loopback: a stalled request
 * fails within half a second instead of half a minute, and retries wait milliseconds. Only the
 * durations differ from production; the clients are built by the same code.
 */
public final class ShortTimeouts {
  private ShortTimeouts() {}

  /** S3: connect 1 s, socket 0.5 s, one request 3 s, one operation 8 s, backoff from 10 ms. */
  public static S3ClientLimits s3(int maxAttempts) {
    return new S3ClientLimits(
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        Duration.ofSeconds(3),
        Duration.ofSeconds(8),
        maxAttempts,
        Duration.ofMillis(10),
        Duration.ofMillis(10),
        Duration.ofSeconds(3),
        Duration.ofSeconds(30));
  }

  /** cdnpub's stores, R2 with {@link #s3(int)} and 3 attempts. */
  public static StoreFactory stores() {
    return StoreFactory.withLimits(s3(3));
  }

  /**
   * The Cloudflare API client from {@link CloudflareApi#httpClient()} with read, write and call
   * timeouts of 0.5, 1 and 3 s, the production retry policy's attempts (4), total time (60 s) and
   * longest wait (30 s) but backoff from 10 ms; a wait asked for (a {@code Retry-After}) is
   * recorded in {@code waits} and announced as in production, but slept for at most 20 ms.
   */
  public static ApiFactory apis(List<Duration> waits) {
    return (base, token, notices) ->
        new CloudflareApi(
            CloudflareApi.httpClient()
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofMillis(500))
                .writeTimeout(Duration.ofSeconds(1))
                .callTimeout(Duration.ofSeconds(3))
                .build(),
            base,
            token,
            new RetryPolicy(
                4, Duration.ofSeconds(60), Duration.ofMillis(10), Duration.ofSeconds(30)),
            d -> {
              waits.add(d);
              Thread.sleep(Math.min(d.toMillis(), 20));
            },
            new Random(1),
            InstantSource.system(),
            notices);
  }
}
