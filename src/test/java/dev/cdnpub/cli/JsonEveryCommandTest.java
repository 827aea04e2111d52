package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every leaf command of the picocli tree, run with --json on a local store, prints one object with
 * {@code command}, {@code status} and {@code exitCode}: the fields {@link Json#result} adds in one
 * place.
 */
class JsonEveryCommandTest {
  @TempDir Path work;

  /** The leaves of the tree, by the name results carry ("alias set"). */
  private static Set<String> leafCommands() {
    Set<String> leaves = new TreeSet<>();
    for (CommandSpec spec : HelpAndCompletionTest.allCommands()) {
      if (spec.subcommands().isEmpty()) {
        String qualified = spec.qualifiedName(" ");
        leaves.add(qualified.substring(qualified.indexOf(' ') + 1));
      }
    }
    return leaves;
  }

  private record Case(int exitCode, String status, String... args) {}

  @Test
  void everyLeafCommand_withJson_printsOneObjectWithCommandStatusAndExitCode() throws Exception {
    String dist = TestFiles.library(work.resolve("dist"), "j", 2).toString();
    for (String version : List.of("1.0.0", "1.1.0")) {
      CliRun seed =
          CliRun.run(work, Map.of(), "publish", dist, "--version", version, "--library", "chatleo");
      assertEquals(0, seed.exitCode, seed.toString());
    }
    CliRun tag =
        CliRun.run(work, Map.of(), "alias", "set", "next", "1.0.0", "--library", "chatleo");
    assertEquals(0, tag.exitCode, tag.toString());
    // Enough for worker export to write its files; worker deploy still needs an API token.
    Map<String, String> worker =
        Map.of(
            "CDNPUB_CDN_HOST", "cdn.example.com",
            "CDNPUB_ZONE_NAME", "example.com",
            "CDNPUB_KV_NAMESPACE_ID", "0f2ac74b498b48028cb68387c421e279");
    // In this order: each runs on the store the ones before it left.
    Map<String, Case> cases = new LinkedHashMap<>();
    cases.put("publish", new Case(0, "published", "publish", dist, "--version", "1.2.0"));
    cases.put("versions", new Case(0, "ok", "versions"));
    cases.put("show", new Case(0, "ok", "show", "1.2.0"));
    cases.put("verify", new Case(0, "ok", "verify", "1.2.0"));
    cases.put("snippet", new Case(0, "ok", "snippet", "1.2.0"));
    cases.put("alias get", new Case(0, "ok", "alias", "get", "latest"));
    cases.put("alias list", new Case(0, "ok", "alias", "list"));
    cases.put("alias history", new Case(0, "ok", "alias", "history", "latest"));
    cases.put("alias set", new Case(0, "ok", "alias", "set", "next", "1.1.0", "--canary", "10"));
    cases.put("alias promote", new Case(0, "ok", "alias", "promote", "next"));
    cases.put("alias sync", new Case(0, "ok", "alias", "sync"));
    cases.put("rollback", new Case(0, "ok", "rollback", "latest"));
    cases.put("yank", new Case(0, "ok", "yank", "1.0.0", "--reason", "broken"));
    cases.put("worker export", new Case(0, "ok", "worker", "export", "worker-out"));
    cases.put("worker deploy", new Case(2, "error", "worker", "deploy"));
    cases.put("serve", new Case(2, "error", "serve", "--port", "70000"));
    cases.put("completion", new Case(0, "ok", "completion"));
    assertEquals(leafCommands(), new TreeSet<>(cases.keySet()), "a case for every leaf command");

    for (Map.Entry<String, Case> c : cases.entrySet()) {
      List<String> args = new ArrayList<>(List.of(c.getValue().args()));
      if (!c.getKey().equals("completion")) {
        args.addAll(List.of("--library", "chatleo"));
      }
      args.add("--json");
      CliRun run = CliRun.run(work, worker, args.toArray(String[]::new));
      assertEquals(c.getValue().exitCode(), run.exitCode, c.getKey() + ": " + run);
      JsonNode json = JsonOutputTest.onlyObject(run);
      assertEquals(c.getKey(), json.path("command").asText(), c.getKey() + ": " + json);
      assertEquals(c.getValue().status(), json.path("status").asText(), c.getKey() + ": " + json);
      assertEquals(run.exitCode, json.path("exitCode").asInt(-1), c.getKey() + ": " + json);
      List<String> fields = new ArrayList<>();
      json.fieldNames().forEachRemaining(fields::add);
      assertEquals(
          List.of("command", "status", "exitCode"),
          fields.subList(0, 3),
          c.getKey() + ": the common fields first");
    }
  }

  @Test
  void helpVersionAndQuietJson_sayOkOrError_withTheCommandNamed() throws Exception {
    JsonNode version = JsonOutputTest.onlyObject(CliRun.run(work, Map.of(), "--version", "--json"));
    assertEquals("ok", version.get("status").asText(), version.toString());
    assertTrue(version.get("message").asText().contains("cdnpub"), version.toString());
    assertTrue(version.path("command").isMissingNode(), "no command named: " + version);

    JsonNode help =
        JsonOutputTest.onlyObject(CliRun.run(work, Map.of(), "alias", "get", "--help", "--json"));
    assertEquals("ok", help.get("status").asText());
    assertEquals("alias get", help.get("command").asText());

    CliRun both = CliRun.run(work, Map.of(), "verify", "1.0.0", "-q", "--json");
    assertEquals(2, both.exitCode, both.toString());
    JsonNode error = JsonOutputTest.onlyObject(both);
    assertEquals("verify", error.get("command").asText(), error.toString());
    assertEquals("error", error.get("status").asText());
    assertTrue(error.get("message").asText().contains("--quiet and --json"), error.toString());
  }
}
