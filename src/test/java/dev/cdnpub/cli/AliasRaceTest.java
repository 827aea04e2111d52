package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent writers of one alias, with real concurrency: threads running the CLI in-process and
 * separate JVM processes. KV (WireMock) has no compare-and-swap; the alias log (S3Proxy,
 * create-only writes) serializes the changes.
 */
class AliasRaceTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  static KvApiMock kv;
  @TempDir Path work;
  Map<String, String> env;

  @BeforeAll
  static void startKvApi() {
    kv = new KvApiMock();
  }

  @AfterAll
  static void stopKvApi() {
    kv.close();
  }

  @BeforeEach
  void freshBucket() {
    kv.reset();
    env = s3.r2Env(s3.newBucket());
    env.putAll(kv.env());
    env.put("CDNPUB_LIBRARY", "chatleo");
  }

  private void seal(String version) {
    Path dir = TestFiles.library(work.resolve("dist-" + version), version, 1);
    CliRun run =
        CliRun.run(work, env, "publish", dir.toString(), "--version", version, "--no-aliases");
    assertEquals(0, run.exitCode, run.toString());
  }

  private JsonNode history(String alias) throws Exception {
    return new ObjectMapper()
        .readTree(CliRun.run(work, env, "alias", "history", alias, "--json").out)
        .get("history");
  }

  /**
   * Every writer's change is a history entry (or it exited 3), sequence numbers are 1..n, KV ends
   * on the newest.
   */
  private void assertSettled(String alias, List<String> setVersions, List<Integer> exitCodes)
      throws Exception {
    JsonNode history = history(alias);
    Set<String> recorded = new HashSet<>();
    for (int i = 0; i < history.size(); i++) {
      assertEquals(
          i + 1, history.get(i).get("seq").asLong(), "no gap, no duplicate sequence number");
      recorded.add(history.get(i).get("to").asText());
      if (i > 0) {
        assertEquals(
            history.get(i - 1).get("to").asText(),
            history.get(i).get("from").asText(),
            "each entry starts where the previous ended");
      }
    }
    for (int i = 0; i < setVersions.size(); i++) {
      int code = exitCodes.get(i);
      assertTrue(code == 0 || code == 3, "writer " + i + " exited " + code);
      if (code == 0) {
        assertTrue(
            recorded.contains(setVersions.get(i)),
            setVersions.get(i) + " succeeded but is not in the history: no lost update");
      }
    }
    String newest = history.get(history.size() - 1).get("to").asText();
    assertEquals(
        newest, kv.lastPut("chatleo%2F" + alias), "after the race KV holds the newest entry");
  }

  @Test
  void aliasSet_racingThreads_everyChangeRecordedAndKvEndsOnNewest() throws Exception {
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      versions.add("1.0." + i);
      seal("1.0." + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(versions.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CliRun>> runs = new ArrayList<>();
    for (String v : versions) {
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return CliRun.run(work, env, "alias", "set", "v1", v);
              }));
    }
    go.countDown();
    List<Integer> codes = new ArrayList<>();
    for (Future<CliRun> f : runs) {
      CliRun r = f.get(120, TimeUnit.SECONDS);
      assertTrue(r.exitCode == 0 || r.exitCode == 3, r.toString());
      codes.add(r.exitCode);
    }
    pool.shutdown();
    assertSettled("v1", versions, codes);
    assertEquals(versions.size(), history("v1").size(), "all six sets recorded");
  }

  /** Canary steps go through the same log: racing ramps are each recorded, KV ends on the last. */
  @Test
  void canaryRamps_racingThreads_everyStepRecordedAndKvMetadataEndsOnNewest() throws Exception {
    seal("1.0.0");
    seal("1.0.1");
    assertEquals(0, CliRun.run(work, env, "alias", "set", "v1", "1.0.0").exitCode);
    List<Integer> percents = List.of(10, 20, 30, 40, 50, 60);
    ExecutorService pool = Executors.newFixedThreadPool(percents.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CliRun>> runs = new ArrayList<>();
    for (int percent : percents) {
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return CliRun.run(
                    work, env, "alias", "set", "v1", "1.0.1", "--canary", String.valueOf(percent));
              }));
    }
    go.countDown();
    for (Future<CliRun> f : runs) {
      CliRun r = f.get(120, TimeUnit.SECONDS);
      assertEquals(0, r.exitCode, r.toString());
    }
    pool.shutdown();
    JsonNode history = history("v1");
    assertEquals(1 + percents.size(), history.size(), "the set and every canary step");
    Set<Integer> recorded = new HashSet<>();
    for (int i = 1; i < history.size(); i++) {
      JsonNode e = history.get(i);
      assertEquals(i + 1, e.get("seq").asLong());
      assertEquals("1.0.0", e.get("to").asText(), "the stable side never moves");
      assertEquals(i == 1 ? "canary" : "ramp", e.get("cause").asText());
      recorded.add(e.get("canary").get("percent").asInt());
    }
    assertEquals(Set.copyOf(percents), recorded, "no step lost");
    JsonNode newest = history.get(history.size() - 1).get("canary");
    assertEquals("1.0.0", kv.lastPut("chatleo%2Fv1"));
    assertEquals(
        "{\"canary\":{\"version\":\"1.0.1\",\"percent\":" + newest.get("percent") + "}}",
        kv.lastMetadata("chatleo%2Fv1"),
        "after the race KV holds the newest step");
  }

  @Test
  void publish_racingVersions_latestEndsOnHighest() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CliRun>> runs = new ArrayList<>();
    for (String v : List.of("2.0.1", "2.0.4", "2.0.2", "2.0.3")) {
      Path dir = TestFiles.library(work.resolve("p-" + v), v, 2);
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return CliRun.run(work, env, "publish", dir.toString(), "--version", v);
              }));
    }
    go.countDown();
    for (Future<CliRun> f : runs) {
      CliRun r = f.get(120, TimeUnit.SECONDS);
      assertEquals(0, r.exitCode, r.toString());
    }
    pool.shutdown();
    assertEquals(
        "2.0.4",
        CliRun.run(work, env, "alias", "get", "latest").out.trim(),
        "a lower version never wins by arriving last");
    assertEquals("2.0.4", kv.lastPut("chatleo%2Flatest"));
    assertEquals("2.0.4", kv.lastPut("chatleo%2Fv2"));
  }

  @Test
  void aliasSet_racingProcesses_bothRecordedOrOneExits3_andKvEndsOnNewest() throws Exception {
    seal("3.0.0");
    seal("3.0.1");
    seal("3.0.2");
    for (int trial = 0; trial < 2; trial++) {
      List<String> versions = trial == 0 ? List.of("3.0.1", "3.0.2") : List.of("3.0.0", "3.0.1");
      List<Process> processes = new ArrayList<>();
      for (String v : versions) {
        processes.add(cdnpubProcess("alias", "set", "v3", v));
      }
      List<Integer> codes = new ArrayList<>();
      for (Process p : processes) {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "process finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        codes.add(p.exitValue());
        assertTrue(p.exitValue() == 0 || p.exitValue() == 3, output);
      }
      assertSettled("v3", versions, codes);
    }
  }

  private Process cdnpubProcess(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment()
        .put(
            "PATH", System.getenv().getOrDefault("PATH", "/usr/bin" + File.pathSeparator + "/bin"));
    return pb.start();
  }
}
