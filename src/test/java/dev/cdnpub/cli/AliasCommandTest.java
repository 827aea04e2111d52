package dev.cdnpub.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * publish's alias moves, alias, rollback and yank end to end: S3Proxy holds the log, WireMock is
 * the KV API.
 */
class AliasCommandTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  static KvApiMock kv;
  @TempDir Path work;
  Map<String, String> env;
  List<Duration> waits;

  @BeforeAll
  static void startKvApi() {
    kv = new KvApiMock();
  }

  @AfterAll
  static void stopKvApi() {
    kv.close();
  }

  @BeforeEach
  void freshBucketAndKv() {
    kv.reset();
    env = s3.r2Env(s3.newBucket());
    env.putAll(kv.env());
    env.put("CDNPUB_LIBRARY", "chatleo");
    env.put("GITHUB_ACTOR", "octocat");
    waits = new ArrayList<>();
  }

  CliRun cdnpub(String... args) {
    return CliRun.run(work, env, KvApiMock.noWait(waits), args);
  }

  CliRun publish(String version, String... extra) {
    Path dir = TestFiles.library(work.resolve("dist-" + version), version, 2);
    List<String> args = new ArrayList<>(List.of("publish", dir.toString(), "--version", version));
    args.addAll(List.of(extra));
    CliRun run = cdnpub(args.toArray(String[]::new));
    return run;
  }

  @Test
  void publish_writesEachMovedAliasToKvWithEncodedKeyTokenAndVersionBody() throws Exception {
    CliRun run = publish("1.2.3", "--json");
    assertEquals(0, run.exitCode, run.toString());
    for (String alias : List.of("latest", "v1", "v1.2")) {
      kv.server.verify(
          putRequestedFor(urlEqualTo(KvApiMock.VALUES + "chatleo%2F" + alias))
              .withHeader("Authorization", equalTo("Bearer " + KvApiMock.TOKEN))
              .withRequestBody(equalTo("1.2.3")));
    }
    JsonNode json = new ObjectMapper().readTree(run.out);
    assertEquals(3, json.get("aliasesMoved").size());
    assertTrue(json.get("aliasesMoved").get(0).get("from").isNull());
    assertEquals("1.2.3", json.get("aliasesMoved").get(0).get("to").asText());

    CliRun older = publish("1.1.9");
    assertEquals(0, older.exitCode, older.toString());
    assertTrue(older.out.contains("alias v1.1: (new) -> 1.1.9"), older.out);
    assertFalse(older.out.contains("alias latest"), older.out);
    assertEquals("1.2.3", kv.lastPut("chatleo%2Fv1"), "v1 stays on the higher version");

    CliRun newer = publish("1.2.4");
    assertTrue(newer.out.contains("alias latest: 1.2.3 -> 1.2.4"), newer.out);
    assertEquals("1.2.4", kv.lastPut("chatleo%2Flatest"));
  }

  @Test
  void publish_noAliases_writesNoKvAndTagGoesToNamedTag() {
    assertEquals(0, publish("1.0.0", "--no-aliases").exitCode);
    assertEquals(List.of(), kv.puts());
    CliRun pre = publish("2.0.0-rc.1", "--tag", "next");
    assertEquals(0, pre.exitCode, pre.toString());
    assertEquals(List.of("chatleo%2Fnext=2.0.0-rc.1"), kv.puts());
    assertEquals(2, publish("2.0.0", "--tag", "v2").exitCode, "vN is not a tag");
  }

  @Test
  void publish_r2WithoutKvSettings_exits2BeforeUploadingAnything() {
    env.remove("CDNPUB_KV_NAMESPACE_ID");
    CliRun run = publish("1.0.0");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("CDNPUB_KV_NAMESPACE_ID"), run.err);
    env.put("CDNPUB_KV_NAMESPACE_ID", KvApiMock.NAMESPACE);
    assertEquals("", cdnpub("versions").out);
  }

  @Test
  void aliasSet_andRollback_printFromTo_andWriteKv() {
    publish("1.2.3");
    publish("1.2.4");
    CliRun set = cdnpub("alias", "set", "v1", "1.2.3");
    assertEquals(0, set.exitCode, set.toString());
    assertEquals("v1: 1.2.4 -> 1.2.3", set.out.trim());
    assertEquals("1.2.3", kv.lastPut("chatleo%2Fv1"));
    CliRun rollback = cdnpub("rollback", "v1");
    assertEquals("v1: 1.2.3 -> 1.2.4", rollback.out.trim(), rollback.toString());
    assertEquals("1.2.4", kv.lastPut("chatleo%2Fv1"));
    CliRun again = cdnpub("rollback", "v1");
    assertEquals("v1: 1.2.4 -> 1.2.3", again.out.trim(), "walks further back");
    assertEquals(4, cdnpub("rollback", "v1").exitCode, "nothing to go back to");
    assertEquals("1.2.3", cdnpub("alias", "get", "v1").out.trim());
  }

  @Test
  void aliasSet_badInput_exitCodesAndNoKvWrite() {
    publish("1.2.3");
    kv.reset();
    assertEquals(4, cdnpub("alias", "set", "v1", "1.9.9").exitCode, "not published");
    assertEquals(2, cdnpub("alias", "set", "v2", "1.2.3").exitCode, "major mismatch");
    assertEquals(2, cdnpub("alias", "set", "v1.3", "1.2.3").exitCode, "minor mismatch");
    assertEquals(2, cdnpub("alias", "set", "v1.2.3", "1.2.3").exitCode, "not an alias");
    assertEquals(2, cdnpub("alias", "set", "v1", "1.2").exitCode, "not a version");
    assertEquals(4, cdnpub("alias", "get", "next").exitCode);
    assertEquals(4, cdnpub("alias", "history", "next").exitCode);
    assertEquals(List.of(), kv.puts());
  }

  @Test
  void aliasSet_latestBackwards_warns() {
    publish("1.0.0");
    publish("2.0.0");
    CliRun run = cdnpub("alias", "set", "latest", "1.0.0");
    assertEquals(0, run.exitCode);
    assertTrue(run.err.contains("warning: latest moved backwards"), run.err);
  }

  @Test
  void aliasListAndHistory_showVersionTimeCauseAndActor() throws Exception {
    publish("1.0.0");
    publish("1.0.1");
    cdnpub("alias", "set", "v1", "1.0.0", "--actor", "release-bot");
    CliRun list = cdnpub("alias", "list");
    assertTrue(
        list.out
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("v1 ") && l.contains("1.0.0") && l.contains("set by release-bot")),
        list.out);
    assertTrue(
        list.out
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("latest ")
                        && l.contains("1.0.1")
                        && l.contains("publish by octocat")),
        list.out);
    CliRun history = cdnpub("alias", "history", "v1", "--json");
    JsonNode entries = new ObjectMapper().readTree(history.out).get("history");
    assertEquals(3, entries.size());
    assertEquals("1.0.1", entries.get(2).get("from").asText());
    assertEquals("1.0.0", entries.get(2).get("to").asText());
    assertEquals("set", entries.get(2).get("cause").asText());
    assertEquals("release-bot", entries.get(2).get("actor").asText());
    assertEquals("2026-11-22T12:00:00Z", entries.get(2).get("at").asText());
  }

  @Test
  void kvFailureAfterLogMoved_exits5SayingSo_thenAliasSyncRepairsKv() {
    publish("1.0.0");
    kv.server.stubFor(
        put(urlPathMatching(".*/values/.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(
                        "{\"success\":false,\"errors\":[{\"code\":10001,\"message\":\"internal\"}]}")));
    CliRun failed = publish("1.0.1");
    assertEquals(5, failed.exitCode, failed.toString());
    assertTrue(failed.err.contains("Workers KV was not updated"), failed.err);
    assertTrue(failed.err.contains("latest: 1.0.0 -> 1.0.1"), failed.err);
    assertTrue(failed.err.contains("cdnpub alias sync"), failed.err);
    assertEquals("1.0.1", cdnpub("alias", "get", "latest").out.trim(), "the log moved");

    kv.reset();
    CliRun sync = cdnpub("alias", "sync");
    assertEquals(0, sync.exitCode, sync.toString());
    assertEquals("1.0.1", kv.lastPut("chatleo%2Flatest"));
    assertEquals("1.0.1", kv.lastPut("chatleo%2Fv1"));
    assertEquals("1.0.1", kv.lastPut("chatleo%2Fv1.0"));
  }

  @Test
  void kvFailure_rerunOfPublish_alsoRepairsKv() {
    kv.server.stubFor(
        put(urlPathMatching(".*/values/.*")).atPriority(1).willReturn(aResponse().withStatus(503)));
    assertEquals(5, publish("1.0.0").exitCode);
    kv.reset();
    CliRun rerun = publish("1.0.0");
    assertEquals(0, rerun.exitCode, rerun.toString());
    assertTrue(rerun.out.contains("already published"), rerun.out);
    assertEquals("1.0.0", kv.lastPut("chatleo%2Flatest"));
  }

  @Test
  void kvUnauthorized_exits6_withoutPrintingToken() {
    publish("1.0.0", "--no-aliases");
    kv.server.stubFor(
        put(urlPathMatching(".*/values/.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(
                        "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}")));
    CliRun run = cdnpub("alias", "set", "v1", "1.0.0", "--verbose");
    assertEquals(6, run.exitCode, run.toString());
    assertFalse(run.all().contains(KvApiMock.TOKEN), run.all());
    assertEquals(1, kv.puts().size(), "no retry on 401");
  }

  @Test
  void kv429WithRetryAfter_isRetriedAfterTheAskedDelay() {
    publish("1.0.0", "--no-aliases");
    kv.server.stubFor(
        put(urlPathMatching(".*/values/.*"))
            .atPriority(1)
            .inScenario("rate")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("retry-after", "3"))
            .willSetStateTo("ok"));
    CliRun run = cdnpub("alias", "set", "latest", "1.0.0");
    assertEquals(0, run.exitCode, run.toString());
    assertEquals(List.of("chatleo%2Flatest=1.0.0", "chatleo%2Flatest=1.0.0"), kv.puts());
    assertTrue(waits.contains(Duration.ofSeconds(3)), waits.toString());
  }

  @Test
  void kvEnvelopeSuccessFalse_exits5WithApiMessage() {
    publish("1.0.0", "--no-aliases");
    kv.server.stubFor(
        put(urlPathMatching(".*/values/.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "{\"success\":false,\"errors\":[{\"code\":10042,\"message\":\"namespace is being deleted\"}],\"messages\":[],\"result\":null}")));
    CliRun run = cdnpub("alias", "set", "latest", "1.0.0");
    assertEquals(5, run.exitCode, run.toString());
    assertTrue(run.err.contains("namespace is being deleted"), run.err);
  }

  @Test
  void yank_movesAliasesBack_andOutputsChanges() {
    publish("1.0.0");
    publish("1.0.1");
    assertEquals(2, cdnpub("yank", "1.0.1").exitCode, "--reason is required");
    CliRun yank = cdnpub("yank", "1.0.1", "--reason", "broke Safari");
    assertEquals(0, yank.exitCode, yank.toString());
    assertTrue(yank.out.contains("latest: 1.0.1 -> 1.0.0"), yank.out);
    assertEquals("1.0.0", kv.lastPut("chatleo%2Flatest"));
    assertTrue(
        cdnpub("alias", "history", "latest")
            .out
            .lines()
            .anyMatch(l -> l.contains("1.0.1 -> 1.0.0  yank by ") && l.endsWith(" (broke Safari)")),
        "the yank's reason is in the history");
    assertEquals(2, cdnpub("alias", "set", "latest", "1.0.1").exitCode, "yanked needs --force");
    assertEquals(0, cdnpub("alias", "set", "latest", "1.0.1", "--force").exitCode);
    assertEquals(List.of("1.0.1 (yanked)", "1.0.0"), cdnpub("versions").firstColumn());
  }

  @Test
  void localTarget_keepsAliasesUnderDotCdnpub() {
    Map<String, String> local = Map.of("CDNPUB_LIBRARY", "chatleo");
    Path dir = TestFiles.library(work.resolve("d"), "x", 1);
    assertEquals(
        0, CliRun.run(work, local, "publish", dir.toString(), "--version", "3.1.4").exitCode);
    assertTrue(java.nio.file.Files.exists(work.resolve(".cdnpub/kv/chatleo/v3.1")));
    assertEquals("3.1.4", CliRun.run(work, local, "alias", "get", "v3").out.trim());
  }

  @Test
  void rollbackTo_andUnknownVersionsAndEmptyList_exitCodes() throws Exception {
    assertEquals(0, cdnpub("alias", "list").exitCode);
    assertTrue(cdnpub("alias", "list").err.contains("no aliases yet"));
    assertEquals(
        0,
        new ObjectMapper().readTree(cdnpub("alias", "list", "--json").out).get("aliases").size());
    publish("1.0.0");
    publish("1.0.1");
    publish("1.0.2");
    CliRun to = cdnpub("rollback", "latest", "--to", "1.0.0");
    assertEquals("latest: 1.0.2 -> 1.0.0", to.out.trim(), to.toString());
    assertEquals(
        4, cdnpub("rollback", "latest", "--to", "1.0.2").exitCode, "not an earlier value any more");
    assertEquals(4, cdnpub("rollback", "v7").exitCode, "no such alias");
    assertEquals(2, cdnpub("rollback", "latest", "--to", "banana").exitCode);
    assertEquals(4, cdnpub("yank", "9.9.9", "--reason", "x").exitCode, "not published");
    JsonNode list =
        new ObjectMapper().readTree(cdnpub("alias", "list", "--json").out).get("aliases");
    assertEquals(3, list.size());
    assertEquals("latest", list.get(0).get("alias").asText());
    assertEquals("1.0.0", list.get(0).get("version").asText());
  }

  @Test
  void kvFailureOnRollbackOrSync_exits5() {
    publish("1.0.0");
    publish("1.0.1");
    kv.server.stubFor(
        put(urlPathMatching(".*/values/.*")).atPriority(1).willReturn(aResponse().withStatus(502)));
    CliRun rollback = cdnpub("rollback", "latest");
    assertEquals(5, rollback.exitCode, rollback.toString());
    assertTrue(rollback.err.contains("latest: 1.0.1 -> 1.0.0"), rollback.err);
    assertEquals(5, cdnpub("alias", "sync").exitCode);
    kv.reset();
    assertEquals(0, cdnpub("alias", "sync").exitCode);
    assertEquals("1.0.0", kv.lastPut("chatleo%2Flatest"));
  }

  @Test
  void publishAliasFailure_saysTheVersionIsSealed() throws Exception {
    kv.server.stubFor(
        put(urlPathMatching(".*/values/.*")).atPriority(1).willReturn(aResponse().withStatus(500)));
    CliRun run = publish("1.0.0", "--json");
    assertEquals(5, run.exitCode, run.toString());
    assertTrue(
        run.err.contains("chatleo 1.0.0 is published (sealed), but its aliases failed"), run.err);
    assertEquals(5, new ObjectMapper().readTree(run.out).get("exitCode").asInt());
    assertEquals(List.of("1.0.0"), cdnpub("versions").firstColumn());
  }

  @Test
  void wrongNamespaceOrToken_failsBeforeAnythingIsWritten() {
    kv.server.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching(".*/values/.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withBody(
                        "{\"success\":false,\"errors\":[{\"code\":10013,\"message\":\"namespace not found\"}]}")));
    CliRun run = publish("1.0.0");
    assertEquals(4, run.exitCode, run.toString());
    kv.server.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching(".*/values/.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody(
                        "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}")));
    assertEquals(6, publish("1.0.0").exitCode);
    assertEquals("", cdnpub("versions").out, "nothing was uploaded");
    assertEquals(List.of(), kv.puts());
  }

  @Test
  void publishRerun_afterRollback_keepsTheRollback() {
    publish("1.0.0");
    publish("1.1.0");
    assertEquals("latest: 1.1.0 -> 1.0.0", cdnpub("rollback", "latest").out.trim());
    CliRun rerun = publish("1.1.0");
    assertEquals(0, rerun.exitCode, rerun.toString());
    assertTrue(rerun.out.contains("already published"), rerun.out);
    assertFalse(rerun.out.contains("alias latest"), rerun.out);
    assertEquals("1.0.0", cdnpub("alias", "get", "latest").out.trim());
    assertEquals("1.0.0", kv.lastPut("chatleo%2Flatest"));
  }
}
