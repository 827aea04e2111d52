package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line on its own, with a clock that moves only when the test moves it. */
class ProgressLineTest {
  private static final long MIB = 1024 * 1024;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final StringWriter err = new StringWriter();
  private final Console console =
      new Console(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of(), true);

  private long redraws() {
    return err.toString().chars().filter(c -> c == '\r').count();
  }

  @Test
  void fileDone_manyFilesInOneSecond_redrawsAtMostTenTimes() {
    ProgressLine line = new ProgressLine(console, clock, 1000, 1000 * 1024);
    for (int i = 0; i < 1000; i++) {
      now.addAndGet(1); // a file per millisecond: 1,000 files in one second
      line.fileDone(1024);
    }
    assertEquals(10, redraws(), err.toString());
    line.finish();
    assertEquals(11, redraws(), "finish draws the final state once more");
  }

  @Test
  void fileDone_slowerThanTheThrottle_redrawsForEveryFile() {
    ProgressLine line = new ProgressLine(console, clock, 5, 5 * MIB);
    for (int i = 0; i < 5; i++) {
      now.addAndGet(ProgressLine.MIN_REDRAW_MILLIS);
      line.fileDone(MIB);
    }
    assertEquals(5, redraws());
  }

  @Test
  void text_showsFilesBytesRateAndEta() {
    assertEquals(
        "upload 12/40 files, 1.5 MiB of 6.0 MiB, 3.0 MiB/s, ETA 2s",
        ProgressLine.text(12, 40, 3 * MIB / 2, 6 * MIB, 500));
    assertEquals(
        "upload 0/40 files, 0 B of 6.0 MiB, ETA --", ProgressLine.text(0, 40, 0, 6 * MIB, 0));
    assertEquals(
        "upload 1/2 files, 1.0 MiB of 301.0 MiB, 1.0 MiB/s, ETA 5m00s",
        ProgressLine.text(1, 2, MIB, 301 * MIB, 1000));
  }

  @Test
  void duration_readsAsSecondsMinutesOrHours() {
    assertEquals("7s", ProgressLine.duration(7));
    assertEquals("2m05s", ProgressLine.duration(125));
    assertEquals("1h02m", ProgressLine.duration(3720));
  }

  @Test
  void finish_drawsTheFinalStateEndsTheLineAndLaterFilesDrawNothing() {
    ProgressLine line = new ProgressLine(console, clock, 2, 2 * MIB);
    now.addAndGet(1000);
    line.fileDone(MIB);
    now.addAndGet(10); // within the throttle: not drawn now
    line.fileDone(MIB);
    assertTrue(err.toString().endsWith("upload 1/2 files, 1.0 MiB of 2.0 MiB, 1.0 MiB/s, ETA 1s"));
    line.finish();
    String drawn = err.toString();
    assertTrue(
        drawn.endsWith("\rupload 2/2 files, 2.0 MiB of 2.0 MiB, 2.0 MiB/s, ETA 0s\n"), drawn);
    line.fileDone(MIB);
    line.finish();
    assertEquals(drawn, err.toString());
  }

  @Test
  void finish_beforeAnyFile_printsNothing() {
    new ProgressLine(console, clock, 3, 3).finish();
    assertEquals("", err.toString());
  }

  @Test
  void redraw_shorterThanTheLastLine_isPaddedOverIt() {
    ProgressLine line = new ProgressLine(console, clock, 2, 2 * MIB);
    now.addAndGet(1);
    line.fileDone(MIB); // a high rate: "... 1000.0 MiB/s ..."
    String first = err.toString().substring(1);
    now.addAndGet(100_000);
    line.fileDone(MIB); // a lower rate, a shorter number
    String second = err.toString().substring(first.length() + 2);
    assertEquals(first.length(), second.length(), "[" + first + "] then [" + second + "]");
    assertTrue(second.endsWith(" "), second);
  }
}
