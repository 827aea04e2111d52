package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The publish and versions commands end to end, in-process, on the local store and on S3Proxy. */
class PublishCommandTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  @TempDir Path work;

  private Path dist() {
    return TestFiles.library(work.resolve("dist"), "one", 3);
  }

  /**
   * R2 without Workers KV settings: these tests publish with --no-aliases (aliases:
   * AliasCommandTest).
   */
  private Map<String, String> r2Env(String bucket) {
    return s3.r2Env(bucket);
  }

  private List<String> localFiles() throws Exception {
    Path root = work.resolve(".cdnpub");
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void publish_toDefaultLocalStore_sayssoAndSeals() throws Exception {
    dist();
    CliRun run =
        CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.2.3", "--library", "chatleo");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(
        run.out.contains("target: local store " + work.resolve(".cdnpub") + " (default"), run.out);
    assertTrue(run.out.contains("published chatleo 1.2.3: 3 uploaded"), run.out);
    assertTrue(localFiles().contains("objects/v1.2.3/chatleo/loader.js"));
    assertTrue(localFiles().contains("objects/_cdnpub/chatleo/versions/1.2.3.json"));
  }

  @Test
  void publish_sameContentTwice_secondSaysAlreadyPublishedAndExits0() {
    dist();
    CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.2.3", "--library", "chatleo");
    CliRun again =
        CliRun.run(
            work, Map.of(), "publish", "dist", "--version", "v1.2.3", "--library", "chatleo");
    assertEquals(0, again.exitCode, again.toString());
    assertTrue(again.out.contains("already published"), again.out);
  }

  @Test
  void publish_otherContentSameVersion_exits3AndChangesNothing() throws Exception {
    dist();
    CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.2.3", "--library", "chatleo");
    List<String> before = localFiles();
    Files.writeString(work.resolve("dist/loader.js"), "changed");
    CliRun run =
        CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.2.3", "--library", "chatleo");
    assertEquals(3, run.exitCode, run.toString());
    assertEquals(1, run.err.lines().count(), "one sentence: " + run.err);
    assertFalse(run.err.contains("Exception"), run.err);
    assertEquals(before, localFiles());
  }

  @Test
  void publish_badVersions_exit2BeforeWritingAnything() throws Exception {
    dist();
    for (String bad : List.of("1.2", "latest", "../1", "1.2.3/x", "", "1.2.3+b")) {
      CliRun run =
          CliRun.run(work, Map.of(), "publish", "dist", "--version", bad, "--library", "chatleo");
      assertEquals(2, run.exitCode, bad + ": " + run);
      assertEquals(1, run.err.lines().count(), run.err);
    }
    assertEquals(List.of(), localFiles());
  }

  @Test
  void publish_badLibraryOrDir_exit2() throws Exception {
    dist();
    assertEquals(
        2,
        CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.0.0", "--library", "Bad/Name")
            .exitCode);
    assertEquals(
        2,
        CliRun.run(work, Map.of("CDNPUB_LIBRARY", "x y"), "publish", "dist", "--version", "1.0.0")
            .exitCode);
    assertEquals(
        2,
        CliRun.run(work, Map.of(), "publish", "missing", "--version", "1.0.0", "--library", "ok")
            .exitCode);
    assertEquals(
        2,
        CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.0.0").exitCode,
        "no library name anywhere");
    assertEquals(
        2,
        CliRun.run(
                work,
                Map.of(),
                "publish",
                "dist",
                "--version",
                "1.0.0",
                "--library",
                "ok",
                "--concurrency",
                "0")
            .exitCode);
    assertEquals(
        2,
        CliRun.run(work, Map.of(), "publish", "dist", "--library", "ok").exitCode,
        "--version is required");
    assertEquals(List.of(), localFiles());
  }

  @Test
  void publish_libraryFromPackageJson_scopeStripped() throws Exception {
    dist();
    Files.writeString(work.resolve("package.json"), "{\"name\":\"@acme/chatleo\"}");
    CliRun run = CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.0.0", "--dry-run");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.out.contains("v1.0.0/chatleo/loader.js"), run.out);
  }

  @Test
  void publish_inCiWithoutChosenTarget_exits2AndWritesNothing() throws Exception {
    dist();
    CliRun run =
        CliRun.run(
            work,
            Map.of("CI", "true"),
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("CDNPUB_TARGET=r2"), run.err);
    assertEquals(List.of(), localFiles());
    // choosing the local store on purpose is allowed
    assertEquals(
        0,
        CliRun.run(
                work,
                Map.of("CI", "true"),
                "publish",
                "dist",
                "--version",
                "1.0.0",
                "--library",
                "chatleo",
                "--target",
                "local")
            .exitCode);
  }

  @Test
  void publish_dryRun_printsPlanWithoutCredentialsOrNetwork() throws Exception {
    dist();
    // R2 chosen, but no credentials and an endpoint nobody listens on: a dry run needs neither.
    Map<String, String> env =
        Map.of(
            "CDNPUB_TARGET",
            "r2",
            "CDNPUB_R2_BUCKET",
            "b",
            "CDNPUB_R2_ENDPOINT",
            "http://127.0.0.1:1",
            "CLOUDFLARE_ACCOUNT_ID",
            "abc123",
            "CDNPUB_KV_NAMESPACE_ID",
            "ns1");
    CliRun run =
        CliRun.run(
            work,
            env,
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--dry-run");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.out.contains("v1.0.0/chatleo/loader.js"), run.out);
    assertTrue(run.out.contains("3 files"), run.out);
    assertTrue(run.out.contains("dry run: nothing was written."), run.out);
    CliRun json =
        CliRun.run(
            work,
            env,
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--dry-run",
            "--json");
    JsonNode node = new ObjectMapper().readTree(json.out);
    assertEquals("dry_run", node.get("status").asText());
    assertEquals(3, node.get("plan").size());
    assertEquals(List.of(), localFiles());
  }

  @Test
  void publish_json_printsOneObjectWithWhatWasDone() throws Exception {
    dist();
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
            "--json");
    assertEquals(0, run.exitCode, run.toString());
    assertEquals(1, run.out.trim().lines().count(), run.out);
    JsonNode node = new ObjectMapper().readTree(run.out);
    assertEquals("published", node.get("status").asText());
    assertEquals(3, node.get("uploaded").asInt());
    assertEquals("v1.0.0/chatleo/", node.get("prefix").asText());
    assertTrue(node.get("files").get(0).get("integrity").asText().startsWith("sha384-"));
    JsonNode again =
        new ObjectMapper()
            .readTree(
                CliRun.run(
                        work,
                        Map.of(),
                        "publish",
                        "dist",
                        "--version",
                        "1.0.0",
                        "--library",
                        "chatleo",
                        "--json")
                    .out);
    assertEquals("already_published", again.get("status").asText());
    CliRun conflict =
        CliRun.run(
            work,
            Map.of(),
            "publish",
            TestFiles.library(work.resolve("other"), "x", 2).toString(),
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--json");
    assertEquals(3, conflict.exitCode);
    assertEquals(3, new ObjectMapper().readTree(conflict.out).get("exitCode").asInt());
  }

  @Test
  void publish_toR2_throughS3Proxy_storesObjectsAndVersionsListsThem() {
    String bucket = s3.newBucket();
    dist();
    for (String v : List.of("1.9.0", "1.10.0", "1.10.0-beta.1", "0.9.0")) {
      CliRun run =
          CliRun.run(
              work,
              r2Env(bucket),
              "publish",
              "dist",
              "--version",
              v,
              "--library",
              "chatleo",
              "--no-aliases");
      assertEquals(0, run.exitCode, run.toString());
      assertTrue(
          run.out.contains("target: R2 bucket " + bucket + " (from CDNPUB_TARGET)"), run.out);
    }
    try (S3Client client = s3.client()) {
      var head = client.headObject(b -> b.bucket(bucket).key("v1.10.0/chatleo/loader.js"));
      assertEquals("public, max-age=31536000, immutable", head.cacheControl());
    }
    CliRun versions = CliRun.run(work, r2Env(bucket), "versions", "--library", "chatleo");
    assertEquals(List.of("1.10.0", "1.10.0-beta.1", "1.9.0", "0.9.0"), versions.firstColumn());
  }

  @Test
  void publish_wrongSecret_exits6AndNeverPrintsSecrets() {
    String bucket = s3.newBucket();
    dist();
    Map<String, String> env = r2Env(bucket);
    String wrong = "wrong-secret-value-that-must-not-leak";
    env.put("R2_SECRET_ACCESS_KEY", wrong);
    CliRun run =
        CliRun.run(
            work,
            env,
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--no-aliases",
            "--verbose");
    assertEquals(6, run.exitCode, run.toString());
    assertTrue(run.err.lines().findFirst().orElse("").contains("R2 refused"), run.err);
    assertFalse(run.all().contains(wrong), "secret printed");
    assertFalse(run.all().contains(S3ProxyServer.ACCESS_KEY), "access key id printed");
    assertTrue(run.err.contains("at "), "--verbose shows the cause chain");
  }

  @Test
  void publish_unreachableEndpoint_exits5() {
    dist();
    Map<String, String> env = r2Env("b");
    env.put("CDNPUB_R2_ENDPOINT", "http://127.0.0.1:1");
    CliRun run =
        CliRun.run(
            work,
            env,
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--no-aliases");
    assertEquals(5, run.exitCode, run.toString());
    assertFalse(run.err.contains("Exception"), "no stack trace without --verbose: " + run.err);
  }

  @Test
  void publish_missingBucket_exits4() {
    dist();
    CliRun run =
        CliRun.run(
            work,
            r2Env("no-such-bucket"),
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--no-aliases");
    assertEquals(4, run.exitCode, run.toString());
  }

  @Test
  void publish_r2WithoutCredentials_exits2() {
    dist();
    Map<String, String> env = r2Env("b");
    env.remove("R2_SECRET_ACCESS_KEY");
    env.remove("R2_ACCESS_KEY_ID");
    CliRun run =
        CliRun.run(
            work,
            env,
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--no-aliases");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("R2_ACCESS_KEY_ID"), run.err);
  }

  @Test
  void help_listsExitCodes() {
    CliRun run = CliRun.run(work, Map.of(), "--help");
    assertEquals(0, run.exitCode);
    for (String line : List.of("3", "conflict", "6", "authentication")) {
      assertTrue(run.out.contains(line), run.out);
    }
  }

  @Test
  void publish_racingDifferentContentFromTwoRuns_oneExits0TheOther3() throws Exception {
    String bucket = s3.newBucket();
    Path a = TestFiles.library(work.resolve("ra"), "A", 10);
    Path b = TestFiles.library(work.resolve("rb"), "B", 10);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    var go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<CliRun>> runs = new java.util.ArrayList<>();
    for (Path dir : List.of(a, b)) {
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return CliRun.run(
                    work,
                    r2Env(bucket),
                    "publish",
                    dir.toString(),
                    "--version",
                    "5.0.0",
                    "--library",
                    "chatleo",
                    "--no-aliases");
              }));
    }
    go.countDown();
    List<Integer> codes = new java.util.ArrayList<>();
    for (var f : runs) {
      codes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS).exitCode);
    }
    pool.shutdown();
    codes.sort(null);
    assertEquals(List.of(0, 3), codes);
  }

  @Test
  void publish_largeFileAboveThreshold_goesUpAsMultipart() throws Exception {
    String bucket = s3.newBucket();
    Path dir = work.resolve("big");
    Files.createDirectories(dir);
    byte[] wasm = TestFiles.random(6 * 1024 * 1024 + 5, 3);
    Files.write(dir.resolve("core.wasm"), wasm);
    CliRun run =
        CliRun.run(
            work,
            r2Env(bucket),
            "publish",
            dir.toString(),
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--no-aliases",
            "--multipart-threshold",
            "5MiB");
    assertEquals(0, run.exitCode, run.toString());
    try (S3Client client = s3.client()) {
      var head = client.headObject(h -> h.bucket(bucket).key("v1.0.0/chatleo/core.wasm"));
      assertTrue(head.eTag().contains("-"), "a multipart ETag ends in -<parts>: " + head.eTag());
      assertEquals(wasm.length, head.contentLength());
      assertEquals("public, max-age=31536000, immutable", head.cacheControl());
    }
    assertEquals(
        2,
        CliRun.run(
                work,
                r2Env(bucket),
                "publish",
                dir.toString(),
                "--version",
                "1.0.1",
                "--library",
                "chatleo",
                "--no-aliases",
                "--multipart-threshold",
                "1MiB")
            .exitCode,
        "below S3's 5 MiB part minimum");
  }
}
