package dev.cdnpub.publish;

/**
 * How many uploads a publish keeps in flight: the number given ({@code --concurrency N}), or one
 * chosen from the round trip to the store, as timed on the wire (ObjectStore#roundTripMillis).
 *
 * <p>A small file's upload is one request that waits a round trip and costs the client ~2 ms of CPU
 * (measured with the launcher's C1-only JIT; docs/benchmarks.md; nearer 1 ms since a small write's
 * first attempt skips the S3 client's pipeline, but more in flight measured no faster). So the
 * client can finish at most {@code cores / 2 ms} uploads a second, and needs {@code round trip x
 * that rate} of them in flight to get there (Little's law): more only adds threads and connections
 * that wait for the CPU. On 2 cores that is 100 at a 100 ms round trip and 40 at 40 ms. The choice
 * stays within 16 to 128: R2 publishes no request-rate limit on object writes to a bucket and bills
 * per request, not per connection, and the S3 client pools up to {@link
 * dev.cdnpub.store.S3ObjectStore#MAX_CONNECTIONS}.
 *
 * @param given the number given, or 0 to choose from the round trip
 * @param cores the CPUs this process may use (for a choice)
 */
public record UploadConcurrency(int given, int cores) {
  /** Fewest uploads in flight that a choice makes (a store on the same machine). */
  public static final int AUTO_MIN = 16;

  /** Most uploads in flight that a choice makes (a distant store, many cores). */
  public static final int AUTO_MAX = 128;

  /** CPU time of one small upload, in milliseconds, from which a choice is made. */
  static final double CPU_MILLIS_PER_UPLOAD = 2.0;

  /**
   * CPU time, in milliseconds, that a new TLS connection costs the client under C1: its key
   * exchange (X25519) and the check of the server's certificate and signature (ECDSA), in Java.
   * Measured 17-30 ms (docs/benchmarks.md). A TLS 1.3 ticket resumes one connection only, so
   * connections opened at once pay it each.
   */
  static final double CPU_MILLIS_PER_TLS_CONNECTION = 25.0;

  public UploadConcurrency {
    if (given < 0 || cores < 1) {
      throw new IllegalArgumentException("concurrency " + given + ", cores " + cores);
    }
  }

  public static UploadConcurrency fixed(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    return new UploadConcurrency(n, 1);
  }

  /** Chosen from the round trip, for a process that may use {@code cores} CPUs. */
  public static UploadConcurrency fromRoundTrip(int cores) {
    return new UploadConcurrency(0, cores);
  }

  public boolean chosen() {
    return given == 0;
  }

  /** The uploads to keep in flight, given the shortest round trip measured (milliseconds). */
  public int forRoundTrip(long roundTripMillis) {
    return forRoundTrip(roundTripMillis, 0, false);
  }

  /**
   * As {@link #forRoundTrip(long)}, for {@code uploads} files; {@code tls}: each connection costs a
   * TLS handshake. Then more uploads in flight wait fewer round trips but cost more CPU: the
   * uploads take about {@code max(uploads / n x round trip, (uploads x 2 ms + n x handshake) /
   * cores)}, least where the two meet, which is the root of {@code handshake n^2 + uploads x 2 ms x
   * n - uploads x round trip x cores}. Without TLS a connection costs next to nothing and the
   * choice is {@link #forRoundTrip(long)}'s.
   */
  public int forRoundTrip(long roundTripMillis, int uploads, boolean tls) {
    if (!chosen()) {
      return given;
    }
    // an hour is beyond any store: it keeps the arithmetic below finite
    double roundTrip = Math.min(3_600_000.0, Math.max(0.0, roundTripMillis));
    double inFlight;
    if (tls) {
      double files = Math.max(0, uploads);
      double work = files * CPU_MILLIS_PER_UPLOAD;
      double waits = files * roundTrip * cores;
      double discriminant = work * work + 4 * CPU_MILLIS_PER_TLS_CONNECTION * waits;
      // the positive root, in the form that keeps its precision when work^2 dwarfs the rest
      inFlight = waits == 0 ? 0 : 2 * waits / (Math.sqrt(discriminant) + work);
    } else {
      inFlight = roundTrip * cores / CPU_MILLIS_PER_UPLOAD;
    }
    return (int) Math.max(AUTO_MIN, Math.min(AUTO_MAX, Math.ceil(inFlight)));
  }
}
