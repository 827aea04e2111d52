package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --quiet means no chatter: it drops notes, warnings, plan lines and progress, and the success
 * report of commands that act; it keeps the answer of commands whose output is the result; a
 * failure still prints its sentence.
 */
class QuietTest {
  @TempDir Path work;

  @Test
  void quietAction_printsNothingOnSuccess_butDoesTheWork() {
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
    for (String[] action :
        List.of(
            new String[] {"alias", "set", "next", "1.0.0"},
            new String[] {"verify", "1.0.0"},
            new String[] {"yank", "1.0.0", "--reason", "test"})) {
      CliRun loud = CliRun.run(work, Map.of(), with(action, "--library", "chatleo"));
      assertEquals(0, loud.exitCode, loud.toString());
      assertFalse(loud.out.isEmpty(), "without -q it reports: " + loud);
      CliRun quiet = CliRun.run(work, Map.of(), with(action, "--library", "chatleo", "-q"));
      assertEquals(0, quiet.exitCode, quiet.toString());
      assertEquals("", quiet.all(), String.join(" ", action));
    }
  }

  @Test
  void quietAnswer_keepsTheResultOnStdout_andDropsTheChatterOnStderr() {
    TestFiles.library(work.resolve("dist"), "q", 2);
    CliRun publish =
        CliRun.run(
            work, Map.of(), "publish", "dist", "--version", "1.0.0", "--library", "chatleo", "-q");
    assertEquals(0, publish.exitCode, publish.toString());

    CliRun snippet =
        CliRun.run(work, Map.of(), "snippet", "v1", "--library", "chatleo", "--entry", "loader.js");
    assertTrue(snippet.err.startsWith("note: no integrity attribute"), snippet.toString());
    CliRun quietSnippet =
        CliRun.run(
            work, Map.of(), "snippet", "v1", "--library", "chatleo", "--entry", "loader.js", "-q");
    assertEquals(0, quietSnippet.exitCode, quietSnippet.toString());
    assertTrue(quietSnippet.out.startsWith("<script src="), quietSnippet.out);
    assertEquals(snippet.out, quietSnippet.out, "the answer is kept");
    assertEquals("", quietSnippet.err, "the note is chatter");

    CliRun get = CliRun.run(work, Map.of(), "alias", "get", "v1", "--library", "chatleo", "-q");
    assertEquals(0, get.exitCode, get.toString());
    assertEquals("1.0.0\n", get.out);
    assertEquals("", get.err);

    for (String[] answer :
        List.of(
            new String[] {"versions"},
            new String[] {"show", "1.0.0"},
            new String[] {"alias", "list"},
            new String[] {"alias", "history", "latest"})) {
      CliRun loud = CliRun.run(work, Map.of(), with(answer, "--library", "chatleo"));
      CliRun quiet = CliRun.run(work, Map.of(), with(answer, "--library", "chatleo", "-q"));
      assertEquals(0, quiet.exitCode, quiet.toString());
      assertTrue(quiet.out.contains("1.0.0"), quiet.toString());
      assertEquals(loud.out, quiet.out, String.join(" ", answer));
      assertEquals("", quiet.err, String.join(" ", answer));
    }

    CliRun completion = CliRun.run(work, Map.of(), "completion", "-q");
    assertEquals(0, completion.exitCode, completion.toString());
    assertTrue(completion.out.contains("cdnpub"), "the script is the answer");
  }

  @Test
  void quietAnswer_dropsTheNoteWhenThereIsNothingToList() throws Exception {
    Files.createDirectories(work.resolve(".cdnpub"));
    CliRun loud = CliRun.run(work, Map.of(), "versions", "--library", "chatleo");
    assertEquals(0, loud.exitCode, loud.toString());
    assertTrue(loud.err.startsWith("no published versions of chatleo"), loud.toString());
    CliRun quiet = CliRun.run(work, Map.of(), "versions", "--library", "chatleo", "-q");
    assertEquals(0, quiet.exitCode, quiet.toString());
    assertEquals("", quiet.all());
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
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
    assertTrue(run.out.startsWith("{\"command\":\"versions\""), run.out);
  }
}
