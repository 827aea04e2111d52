package dev.cdnpub.cloudflare;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads an HTTP {@code retry-after} header: delay seconds or an HTTP date (RFC 9110 10.2.3). */
final class RetryAfter {
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");

  private RetryAfter() {}

  /**
   * The wait the header asks for, measured from {@code now}; zero for a date in the past; empty
   * when the header is absent or unreadable (the caller then falls back to its own backoff).
   */
  static Optional<Duration> parse(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    if (SECONDS.matcher(value).matches()) {
      long millis = new BigDecimal(value).movePointRight(3).longValue();
      return Optional.of(Duration.ofMillis(millis));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException unreadable) {
      // A malformed hint is not an error: the policy's own backoff still applies.
      return Optional.empty();
    }
  }
}
