package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When publish draws its progress line on stderr, and when it must not. */
class PublishProgressTest {
  /** A carriage return that is a redraw, not the end of a line on a terminal (\r\n). */
  private static final Pattern REDRAW = Pattern.compile("\r(?!\n)");

  @TempDir Path work;

  @BeforeEach
  void library() {
    TestFiles.library(work.resolve("dist"), "a", 3);
  }

  private static final String[] PUBLISH = {
    "publish", "dist", "--version", "1.0.0", "--library", "chatleo"
  };

  private static String[] with(String... extra) {
    List<String> args = new ArrayList<>(List.of(PUBLISH));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void publish_onATerminal_drawsOneProgressLineEndedBeforeTheNextLine() {
    CliRun run = CliRun.onTerminal(work, Map.of(), PUBLISH);
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.err.startsWith("\rupload "), run.err);
    assertTrue(run.err.endsWith("\rupload 3/3 files, " + sizeOf3Files() + ", ETA --\n"), run.err);
    assertEquals(1, run.err.chars().filter(c -> c == '\n').count(), run.err);
    assertTrue(run.out.contains("upload: 3 files"), run.out);
  }

  private String sizeOf3Files() {
    try (var files = Files.walk(work.resolve("dist"))) {
      long total = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      return total + " B of " + total + " B";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void publish_stderrNotATerminal_drawsNoProgress() {
    CliRun run = CliRun.run(work, Map.of(), PUBLISH);
    assertEquals(0, run.exitCode, run.toString());
    assertEquals("", run.err);
  }

  @Test
  void publish_inCi_drawsNoProgressEvenOnATerminal() {
    CliRun run = CliRun.onTerminal(work, Map.of("CI", "true"), with("--target", "local"));
    assertEquals(0, run.exitCode, run.toString());
    assertFalse(run.err.contains("\r"), run.err);
  }

  @Test
  void publish_json_drawsNoProgressEvenOnATerminal() {
    CliRun run = CliRun.onTerminal(work, Map.of(), with("--json"));
    assertEquals(0, run.exitCode, run.toString());
    assertEquals("", run.err);
  }

  @Test
  void publish_quiet_drawsNoProgressEvenOnATerminal() {
    CliRun run = CliRun.onTerminal(work, Map.of(), with("--quiet"));
    assertEquals(0, run.exitCode, run.toString());
    assertEquals("", run.all());
  }

  /**
   * The real thing: the CLI's main in its own JVM under a pseudo-terminal (util-linux script), with
   * no launcher to tell it, so Main finds out from /proc/self/fd/2; the transcript must hold
   * carriage-return redraws of the progress line.
   */
  @Test
  void publish_underAPseudoTerminal_redrawsTheProgressLineInPlace() throws Exception {
    Assumptions.assumeTrue(
        new File("/usr/bin/script").canExecute() && new File("/proc/self/fd/2").exists(),
        "needs util-linux script and /proc");
    TestFiles.library(work.resolve("many"), "m", 200);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.cdnpub.cli.Main",
            "publish",
            "many",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--concurrency",
            "1");
    StringBuilder line = new StringBuilder();
    for (String part : command) {
      line.append('\'').append(part.replace("'", "'\\''")).append("' ");
    }
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/script", "-qfec", line.toString().trim(), "/dev/null")
            .directory(work.toFile())
            .redirectErrorStream(true);
    pb.environment().remove("CI");
    Process process = pb.start();
    process.getOutputStream().close();
    ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    try (InputStream in = process.getInputStream()) {
      in.transferTo(transcript);
    }
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "script did not end");
    String text = transcript.toString(StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), text);
    long redraws = REDRAW.matcher(text).results().count();
    assertTrue(redraws >= 2, "redraws: " + redraws + "\n" + text);
    assertTrue(text.contains("\rupload 200/200 files, "), text);
    assertTrue(text.contains("published chatleo 1.0.0: 200 uploaded"), text);
  }
}
