package dev.cdnpub.core;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The small shared pieces of concurrent work and of time stamps, so that each exists once. */
public final class Threads {
  private Threads() {}

  /**
   * A pool of {@code threads} daemon threads named {@code name}: a pool cdnpub forgot to shut down
   * can never keep the process alive. The caller shuts it down (try/finally {@code shutdownNow}).
   */
  public static ExecutorService pool(int threads, String name) {
    return Executors.newFixedThreadPool(
        Math.max(1, threads),
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** The time of a record (claim, manifest, alias entry): UTC, ISO-8601, in milliseconds. */
  public static String timestamp(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
