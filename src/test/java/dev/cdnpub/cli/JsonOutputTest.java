package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * With --json anywhere on the command line, every exit prints exactly one JSON object on stdout.
 */
class JsonOutputTest {
  @TempDir Path work;

  /**
   * Parses all of stdout and requires exactly one value, an object; the sentence stays on stderr.
   */
  static JsonNode onlyObject(CliRun run) throws Exception {
    List<JsonNode> values = new ArrayList<>();
    new ObjectMapper()
        .readerFor(JsonNode.class)
        .<JsonNode>readValues(run.out)
        .forEachRemaining(values::add);
    assertEquals(1, values.size(), "exactly one JSON value on stdout: " + run);
    assertTrue(values.get(0).isObject(), run.toString());
    return values.get(0);
  }

  private static JsonNode error(CliRun run, int code) throws Exception {
    assertEquals(code, run.exitCode, run.toString());
    JsonNode json = onlyObject(run);
    assertEquals("error", json.get("status").asText());
    assertEquals(code, json.get("exitCode").asInt());
    assertTrue(
        run.err.startsWith("cdnpub: " + json.get("message").asText()),
        "the same sentence on stderr: " + run);
    assertFalse(json.has("error"), "the sentence is in message: " + json);
    return json;
  }

  @Test
  void parameterErrors_printOneErrorObject() throws Exception {
    TestFiles.library(work.resolve("dist"), "p", 1);
    List<String[]> bad =
        List.of(
            new String[] {
              "publish", "dist", "--version", "1.0.0", "--bogus", "--json"
            }, // unknown option
            new String[] {
              "publish", "dist", "--json", "--library", "chatleo"
            }, // missing required option
            new String[] {
              "--json", "publish", "dist", "--version", "1.0.0", "--concurrency", "many"
            }, // bad value
            new String[] {"alias", "set", "latest", "--json"}, // missing parameter
            new String[] {"--json", "versions"}, // --json where no command takes it
            new String[] {"--json"});
    for (String[] args : bad) {
      JsonNode json = error(CliRun.run(work, Map.of(), args), 2);
      assertFalse(json.get("message").asText().isBlank(), json.toString());
    }
    JsonNode missing =
        error(CliRun.run(work, Map.of(), "publish", "dist", "--json", "--library", "chatleo"), 2);
    assertEquals("publish", missing.get("command").asText());
    assertTrue(missing.get("message").asText().contains("--version"), missing.toString());
    assertFalse(Files.exists(work.resolve(".cdnpub")));
  }

  @Test
  void configError_printsOneErrorObject() throws Exception {
    TestFiles.library(work.resolve("dist"), "c", 1);
    Files.writeString(work.resolve("cdnpub.json"), "{\"libary\":\"chatleo\"}");
    JsonNode json =
        error(CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.0.0", "--json"), 2);
    assertTrue(json.get("message").asText().contains("did you mean 'library'?"), json.toString());
    Files.delete(work.resolve("cdnpub.json"));
    JsonNode r2 =
        error(
            CliRun.run(
                work,
                Map.of("CDNPUB_TARGET", "r2"),
                "publish",
                "dist",
                "--version",
                "1.0.0",
                "--library",
                "chatleo",
                "--dry-run",
                "--json"),
            2);
    assertTrue(r2.get("message").asText().contains("CDNPUB_R2_BUCKET"), r2.toString());
    JsonNode store =
        error(CliRun.run(work, Map.of(), "alias", "list", "--library", "chatleo", "--json"), 4);
    assertEquals("alias list", store.get("command").asText());
  }

  @Test
  void runtimeError_printsOneErrorObject() throws Exception {
    Path one = TestFiles.library(work.resolve("one"), "one", 2);
    Path other = TestFiles.library(work.resolve("other"), "other", 2);
    assertEquals(
        0,
        CliRun.run(
                work,
                Map.of(),
                "publish",
                one.toString(),
                "--version",
                "1.0.0",
                "--library",
                "chatleo")
            .exitCode);
    JsonNode conflict =
        error(
            CliRun.run(
                work,
                Map.of(),
                "publish",
                other.toString(),
                "--version",
                "1.0.0",
                "--library",
                "chatleo",
                "--json",
                "--verbose"),
            3);
    assertEquals("publish", conflict.get("command").asText());
    Map<String, String> unreachable =
        Map.of(
            "CDNPUB_TARGET",
            "r2",
            "CDNPUB_R2_BUCKET",
            "b",
            "CDNPUB_R2_ENDPOINT",
            "http://127.0.0.1:1",
            "R2_ACCESS_KEY_ID",
            "id-123456",
            "R2_SECRET_ACCESS_KEY",
            "secret-123456");
    error(CliRun.run(work, unreachable, "versions", "--library", "chatleo", "--json"), 5);
  }

  @Test
  void successAndHelp_printOneObjectToo() throws Exception {
    Path dist = TestFiles.library(work.resolve("dist"), "s", 1);
    JsonNode published =
        onlyObject(
            CliRun.run(
                work,
                Map.of(),
                "publish",
                dist.toString(),
                "--version",
                "1.0.0",
                "--library",
                "chatleo",
                "--json"));
    assertEquals("published", published.get("status").asText());
    assertEquals(
        "versions",
        onlyObject(CliRun.run(work, Map.of(), "versions", "--library", "chatleo", "--json"))
            .get("command")
            .asText());
    CliRun help = CliRun.run(work, Map.of(), "publish", "--help", "--json");
    assertEquals(0, help.exitCode);
    JsonNode json = onlyObject(help);
    assertEquals("ok", json.get("status").asText());
    assertEquals("publish", json.get("command").asText());
    assertTrue(json.get("message").asText().contains("Usage: cdnpub publish"), json.toString());
    // without --json, errors print nothing on stdout
    CliRun plain = CliRun.run(work, Map.of(), "publish", "dist", "--bogus");
    assertEquals(2, plain.exitCode);
    assertEquals("", plain.out);
  }
}
