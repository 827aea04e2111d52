package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --quiet: nothing on success, the failure's sentence on failure. */
class QuietTest {
  @TempDir Path work;

  @Test
  void quietSuccess_printsNothing_butDoesTheWork() {
    TestFiles.library(work.resolve("dist"), "q", 2);
    CliRun run =
        CliRun.run(
            work,
            Map.of(),
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--quiet");
    assertEquals(0, run.exitCode, run.toString());
    assertEquals("", run.out);
    assertEquals("", run.err);
    assertTrue(Files.exists(work.resolve(".cdnpub/objects/_cdnpub/chatleo/versions/1.0.0.json")));
    CliRun get = CliRun.run(work, Map.of(), "alias", "get", "latest", "--library", "chatleo", "-q");
    assertEquals(0, get.exitCode, get.toString());
    assertEquals("", get.all());
  }

  @Test
  void quietFailure_stillSaysWhyOnStderr() {
    CliRun run =
        CliRun.run(
            work,
            Map.of(),
            "publish",
            "dist",
            "--version",
            "1.2",
            "--library",
            "chatleo",
            "--quiet");
    assertEquals(2, run.exitCode, run.toString());
    assertEquals("", run.out);
    assertTrue(run.err.startsWith("cdnpub: '1.2' is not a semantic version"), run.err);
  }

  @Test
  void quietWithJson_isAContradiction_exit2() {
    CliRun run =
        CliRun.run(work, Map.of(), "versions", "--library", "chatleo", "--quiet", "--json");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("--quiet and --json contradict each other"), run.err);
    assertTrue(run.out.contains("\"status\":\"error\""), run.out);
  }
}
