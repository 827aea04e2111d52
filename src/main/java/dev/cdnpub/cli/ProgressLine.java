package dev.cdnpub.cli;

import java.time.InstantSource;
import java.util.Locale;

/**
 * The one progress line a publish draws on a terminal's stderr while it uploads: files done of the
 * total, bytes, rate and ETA, redrawn in place (a carriage return, then the line padded over the
 * last one) at most once per {@link #MIN_REDRAW_MILLIS} of the injected clock, and ended with a
 * newline by {@link #finish} so that later output starts on a line of its own. Thread-safe: files
 * finish on upload threads.
 */
final class ProgressLine {
  /** At most ten redraws a second: fast enough to look live, cheap on a slow terminal. */
  static final long MIN_REDRAW_MILLIS = 100;

  private final Console console;
  private final InstantSource clock;
  private final int totalFiles;
  private final long totalBytes;
  private final long startMillis;
  private int files;
  private long bytes;
  private long lastDrawMillis = Long.MIN_VALUE;
  private int lastLength;
  private boolean finished;

  ProgressLine(Console console, InstantSource clock, int totalFiles, long totalBytes) {
    this.console = console;
    this.clock = clock;
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
    this.startMillis = clock.millis();
  }

  /** One more file is stored; redraws unless the last redraw is too recent. */
  synchronized void fileDone(long size) {
    if (finished) {
      return;
    }
    files++;
    bytes += size;
    long now = clock.millis();
    if (lastDrawMillis == Long.MIN_VALUE || now - lastDrawMillis >= MIN_REDRAW_MILLIS) {
      draw(now);
    }
  }

  /**
   * Draws the final state and ends the line; nothing when no file was done (no line was started).
   * Later calls do nothing.
   */
  synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (lastDrawMillis != Long.MIN_VALUE) {
      draw(clock.millis());
      console.errInPlace("\n");
    }
  }

  private void draw(long now) {
    String line = text(files, totalFiles, bytes, totalBytes, now - startMillis);
    // Spaces over what is left of a longer previous line.
    String pad = " ".repeat(Math.max(0, lastLength - line.length()));
    console.errInPlace("\r" + line + pad);
    lastLength = line.length();
    lastDrawMillis = now;
  }

  /** The line's text, e.g. {@code upload 12/40 files, 1.5 MiB of 6.0 MiB, 3.0 MiB/s, ETA 2s}. */
  static String text(int files, int totalFiles, long bytes, long totalBytes, long elapsedMillis) {
    StringBuilder line =
        new StringBuilder()
            .append("upload ")
            .append(files)
            .append('/')
            .append(totalFiles)
            .append(" files, ")
            .append(SizeConverter.human(bytes))
            .append(" of ")
            .append(SizeConverter.human(totalBytes));
    if (elapsedMillis <= 0 || bytes <= 0) {
      return line.append(", ETA --").toString();
    }
    double perSecond = bytes * 1000.0 / elapsedMillis;
    line.append(", ").append(SizeConverter.human((long) perSecond)).append("/s");
    long remaining = Math.max(0, totalBytes - bytes);
    return line.append(", ETA ")
        .append(duration((long) Math.ceil(remaining / perSecond)))
        .toString();
  }

  /** 7s, 2m05s, 1h02m. */
  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
  }
}
