package dev.cdnpub.cloudflare;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when something sleeps on it, and remembers every sleep. */
final class FakeTime implements Sleeper, InstantSource {
  static final Instant START = Instant.parse("2030-01-02T03:04:05Z");

  private Instant now = START;
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
