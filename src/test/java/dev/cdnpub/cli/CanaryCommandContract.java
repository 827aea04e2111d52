package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.DefaultLocale;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary moves through the whole CLI, on every store: the local store with its KV folder, and
 * S3Proxy with the KV API on WireMock (multipart writes with a metadata part).
 */
abstract class CanaryCommandContract {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;

  abstract CliRun cdnpub(String... args);

  /** The KV value of {@code chatleo/{alias}} as last written. */
  abstract String kvValue(String alias);

  /** The KV metadata of {@code chatleo/{alias}} as last written; null when it has none. */
  abstract String kvMetadata(String alias);

  /** Everything written to KV so far: equal before and after means nothing was written. */
  abstract String kvWrites();

  /** KV loses its contents (for alias sync to rebuild). */
  abstract void loseKv() throws Exception;

  static String metadata(String version, int percent) {
    return "{\"canary\":{\"version\":\"" + version + "\",\"percent\":" + percent + "}}";
  }

  CliRun ok(String... args) {
    CliRun run = cdnpub(args);
    assertEquals(0, run.exitCode, run.toString());
    return run;
  }

  /** Publishes a version of chatleo; "--no-aliases" seals it without moving any alias. */
  void publish(String version, String... extra) {
    Path dir = TestFiles.library(work.resolve("dist-" + version), version, 2);
    List<String> args = new ArrayList<>(List.of("publish", dir.toString(), "--version", version));
    args.addAll(List.of(extra));
    ok(args.toArray(String[]::new));
  }

  @Test
  void canary_setRampPromote_showTheSplitInGetListHistoryAndKv() throws Exception {
    publish("1.2.3");
    publish("1.2.4", "--no-aliases");
    assertEquals(
        "v1: 1.2.3 -> 1.2.3, canary 1.2.4 at 25%",
        ok("alias", "set", "v1", "1.2.4", "--canary", "25").out.trim());
    assertEquals("1.2.3", kvValue("v1"), "the KV value stays the stable version");
    assertEquals(metadata("1.2.4", 25), kvMetadata("v1"));
    assertNull(kvMetadata("latest"));

    assertEquals("1.2.3, canary 1.2.4 at 25%", ok("alias", "get", "v1").out.trim());
    JsonNode get = JSON.readTree(ok("alias", "get", "v1", "--json").out);
    assertEquals("1.2.3", get.get("version").asText());
    assertEquals("1.2.4", get.get("canary").get("version").asText());
    assertEquals(25, get.get("canary").get("percent").asInt());
    assertTrue(JSON.readTree(ok("alias", "get", "latest", "--json").out).get("canary").isNull());
    assertTrue(
        ok("alias", "list")
            .out
            .lines()
            .anyMatch(l -> l.startsWith("v1 ") && l.contains("1.2.3, canary 1.2.4 at 25%")));
    JsonNode list = JSON.readTree(ok("alias", "list", "--json").out).get("aliases");
    assertEquals(25, list.get(1).get("canary").get("percent").asInt(), list.toString());

    assertEquals(
        "v1: 1.2.3, canary 1.2.4 at 25% -> 1.2.3, canary 1.2.4 at 50%",
        ok("alias", "set", "v1", "1.2.4", "--canary", "50", "--actor", "ramp-bot").out.trim());
    assertEquals(metadata("1.2.4", 50), kvMetadata("v1"));

    JsonNode promote = JSON.readTree(ok("alias", "promote", "v1", "1.2.4", "--json").out);
    assertEquals("alias promote", promote.get("command").asText());
    JsonNode moved = promote.get("aliasesMoved").get(0);
    assertEquals("1.2.3", moved.get("from").asText());
    assertEquals(50, moved.get("fromCanary").get("percent").asInt());
    assertEquals("1.2.4", moved.get("to").asText());
    assertTrue(moved.get("canary").isNull());
    assertEquals("promote", moved.get("cause").asText());
    assertEquals("1.2.4", kvValue("v1"));
    assertNull(kvMetadata("v1"), "promote leaves no canary in KV");

    List<String> history = ok("alias", "history", "v1").out.lines().toList();
    assertEquals(4, history.size(), history.toString());
    assertTrue(history.get(1).endsWith("1.2.3 -> 1.2.3, canary 1.2.4 at 25%  canary by octocat"));
    assertTrue(
        history
            .get(2)
            .endsWith(
                "1.2.3, canary 1.2.4 at 25% -> 1.2.3, canary 1.2.4 at 50%  ramp by ramp-bot"));
    assertTrue(history.get(3).endsWith("1.2.3, canary 1.2.4 at 50% -> 1.2.4  promote by octocat"));
  }

  /** alias history and alias list print ASCII digits under a locale whose digits are not. */
  @Test
  void historyAndList_underAnArabicDefaultLocale_printAsciiDigits() {
    publish("1.2.3");
    publish("1.2.4", "--no-aliases");
    ok("alias", "set", "v1", "1.2.4", "--canary", "25");
    String history = ok("alias", "history", "v1").out;
    String list = ok("alias", "list").out;
    String arabicHistory =
        DefaultLocale.during(DefaultLocale.ARABIC, () -> ok("alias", "history", "v1").out);
    String arabicList = DefaultLocale.during(DefaultLocale.ARABIC, () -> ok("alias", "list").out);
    assertTrue(arabicHistory.startsWith("   1  2026-"), arabicHistory);
    assertTrue(arabicHistory.contains("\n   2  2026-"), arabicHistory);
    assertFalse(DefaultLocale.hasArabicDigits(arabicHistory + arabicList), arabicHistory);
    assertEquals(history, arabicHistory);
    assertEquals(list, arabicList);
  }

  @Test
  void rollback_endsTheCanary_everyoneBackOnTheStableVersion() {
    publish("1.2.3");
    publish("1.2.4", "--no-aliases");
    ok("alias", "set", "v1", "1.2.4", "--canary", "50");
    assertEquals("v1: 1.2.3, canary 1.2.4 at 50% -> 1.2.3", ok("rollback", "v1").out.trim());
    assertEquals("1.2.3", kvValue("v1"));
    assertNull(kvMetadata("v1"));
    assertEquals("1.2.3", ok("alias", "get", "v1").out.trim());
    assertTrue(ok("alias", "history", "v1").out.trim().endsWith("rollback by octocat"));
  }

  @Test
  void yank_ofTheCanaryVersion_endsTheCanary() {
    publish("1.2.3");
    publish("1.2.4", "--no-aliases");
    ok("alias", "set", "latest", "1.2.4", "--canary", "10");
    CliRun yank = ok("yank", "1.2.4", "--reason", "breaks Safari");
    assertTrue(yank.out.contains("latest: 1.2.3, canary 1.2.4 at 10% -> 1.2.3"), yank.out);
    assertEquals("1.2.3", kvValue("latest"));
    assertNull(kvMetadata("latest"));
    assertTrue(
        ok("alias", "history", "latest").out.trim().endsWith("yank by octocat (breaks Safari)"));
  }

  @Test
  void latestAndTags_mayHaveCanaries() {
    publish("1.2.3");
    publish("2.0.0-beta.1", "--tag", "next");
    publish("1.3.0", "--no-aliases");
    publish("2.0.0-beta.2", "--no-aliases");
    ok("alias", "set", "latest", "1.3.0", "--canary", "1");
    ok("alias", "set", "next", "2.0.0-beta.2", "--canary", "99");
    assertEquals(metadata("1.3.0", 1), kvMetadata("latest"));
    assertEquals("2.0.0-beta.1", kvValue("next"));
    assertEquals(metadata("2.0.0-beta.2", 99), kvMetadata("next"));
  }

  @Test
  void refusals_exitWithTheirCodeAndOneSentence_andNothingMoves() throws Exception {
    publish("1.2.2");
    publish("1.2.3");
    publish("2.0.0");
    publish("1.2.4", "--no-aliases");
    publish("1.2.5", "--no-aliases");
    ok("yank", "1.2.5", "--reason", "bad");
    ok("alias", "set", "v1", "1.2.4", "--canary", "25");
    String writes = kvWrites();
    String history = ok("alias", "history", "v1", "--json").out;
    Object[][] refusals = {
      {2, "alias", "set", "v1", "1.2.4", "--canary", "0"},
      {2, "alias", "set", "v1", "1.2.4", "--canary", "100"},
      {2, "alias", "set", "v1", "1.2.4", "--canary", "-5"},
      {2, "alias", "set", "v1", "1.2.4", "--canary", "half"},
      {4, "alias", "set", "v1", "1.9.9", "--canary", "25"},
      {2, "alias", "set", "v1", "2.0.0", "--canary", "25"},
      {2, "alias", "set", "v1.3", "1.2.4", "--canary", "25"},
      {2, "alias", "set", "v1", "1.2.5", "--canary", "25"},
      {2, "alias", "set", "v1", "1.2.3", "--canary", "25"},
      {4, "alias", "set", "beta", "1.2.4", "--canary", "25"},
      {2, "alias", "set", "v1", "banana", "--canary", "25"},
      {2, "alias", "promote", "latest"},
      {4, "alias", "promote", "beta"},
      {2, "alias", "promote", "v1.2.3"},
      {3, "alias", "promote", "v1", "1.2.5"},
      {2, "alias", "promote", "v1", "banana"},
      {2, "rollback", "v1", "--to", "1.2.2"},
    };
    for (Object[] refusal : refusals) {
      String[] args = new String[refusal.length - 1];
      for (int i = 1; i < refusal.length; i++) {
        args[i - 1] = (String) refusal[i];
      }
      CliRun run = cdnpub(args);
      assertEquals(refusal[0], run.exitCode, String.join(" ", args) + "\n" + run);
      assertEquals("", run.out, String.join(" ", args));
      // One sentence; picocli's own parse errors add a line pointing at --help.
      List<String> lines = run.err.lines().filter(l -> !l.startsWith("Try 'cdnpub")).toList();
      assertEquals(1, lines.size(), run.err);
    }
    CliRun flagged = cdnpub("alias", "promote", "latest", "--library", "chatleo");
    assertTrue(
        flagged.err.contains(
            "latest has no canary to promote; start one with cdnpub alias set latest VERSION --canary PERCENT --library chatleo."),
        "the hint carries the --library it was given: " + flagged.err);
    assertTrue(
        cdnpub("alias", "promote", "latest")
            .err
            .contains("start one with cdnpub alias set latest VERSION --canary PERCENT."),
        "without the flag, the hint has none");
    JsonNode json = JSON.readTree(cdnpub("alias", "promote", "latest", "--json").out);
    assertEquals(2, json.get("exitCode").asInt(), json.toString());
    JsonNode other = JSON.readTree(cdnpub("alias", "promote", "v1", "1.2.5", "--json").out);
    assertEquals(3, other.get("exitCode").asInt(), other.toString());
    assertEquals(writes, kvWrites(), "no refusal wrote to KV");
    assertEquals(history, ok("alias", "history", "v1", "--json").out, "nor to the alias log");
    assertEquals(metadata("1.2.4", 25), kvMetadata("v1"));
  }

  @Test
  void aliasSync_rebuildsTheCanaryInKvFromTheLog() throws Exception {
    publish("1.2.3");
    publish("1.2.4", "--no-aliases");
    ok("alias", "set", "v1", "1.2.4", "--canary", "30");
    loseKv();
    ok("alias", "sync");
    assertEquals("1.2.3", kvValue("v1"));
    assertEquals(metadata("1.2.4", 30), kvMetadata("v1"));
    assertEquals("1.2.3", kvValue("latest"));
    assertNull(kvMetadata("latest"));
  }
}
