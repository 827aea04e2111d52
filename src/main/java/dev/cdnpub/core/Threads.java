package dev.cdnpub.core;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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

  /**
   * {@code work} applied to every item on up to {@code parallelism} threads named {@code name} (one
   * item, or a parallelism of 1: on this thread), results in the order of {@code items}. All are
   * waited for; then the first failure in item order is thrown (a checked one wrapped, exit 1, as
   * "{@code what} failed").
   */
  public static <T, R> List<R> inParallel(
      List<T> items, int parallelism, String name, String what, Function<T, R> work) {
    if (items.size() <= 1 || parallelism <= 1) {
      return items.stream().map(work).collect(Collectors.toList());
    }
    ExecutorService pool = pool(Math.min(parallelism, items.size()), name);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>();
      RuntimeException first = null;
      for (Future<R> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          results.add(null);
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new CdnpubException(
                        ExitCode.INTERNAL, what + " failed: " + e.getCause(), e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CdnpubException(ExitCode.INTERNAL, "interrupted while " + what, e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Starts {@code work} on a new daemon thread named {@code name}, to overlap it with what the
   * caller does meanwhile; {@link #join} gets its result.
   */
  public static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
    return CompletableFuture.supplyAsync(
        work,
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          t.start();
        });
  }

  /**
   * The result of work begun by {@link #start}, waiting for it; what the work threw is thrown as it
   * was (a checked exception wrapped, exit 1, as "{@code what} failed").
   */
  public static <T> T join(CompletableFuture<T> work, String what) {
    try {
      return work.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new CdnpubException(ExitCode.INTERNAL, what + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** The time of a record (claim, manifest, alias entry): UTC, ISO-8601, in milliseconds. */
  public static String timestamp(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
