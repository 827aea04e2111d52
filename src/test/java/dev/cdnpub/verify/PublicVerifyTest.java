package dev.cdnpub.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.core.Jackson;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code verify --public} reads through a public bucket: S3Proxy accepting anonymous reads stands
 * in for R2's public bucket (path style, {@code http://127.0.0.1:port/bucket} as the base URL). It
 * serves pinned URLs only; there is no resolver in front of it, so alias URLs are not redirected.
 */
class PublicVerifyTest {
  static S3ProxyServer publicBucket;
  static KvApiMock kv;

  @TempDir Path work;
  Map<String, String> env;
  String bucket;
  String base;

  @BeforeAll
  static void start() throws Exception {
    publicBucket = new S3ProxyServer(false);
    kv = new KvApiMock();
  }

  @AfterAll
  static void stop() throws Exception {
    publicBucket.close();
    kv.close();
  }

  @BeforeEach
  void bucket() {
    bucket = publicBucket.newBucket();
    env = publicBucket.r2Env(bucket);
    env.put("CDNPUB_LIBRARY", "chatleo");
    base = publicBucket.endpoint() + "/" + bucket;
    TestFiles.library(work.resolve("dist"), "a", 3);
  }

  private CliRun cli(String... args) {
    return CliRun.run(work, env, KvApiMock.noWait(new ArrayList<Duration>()), args);
  }

  @Test
  void verifyPublic_untouchedRelease_readsEveryPinnedUrlAndExitsZero() throws Exception {
    assertEquals(0, cli("publish", "dist", "--version", "1.0.0", "--no-aliases").exitCode);
    CliRun run = cli("verify", "1.0.0", "--public", "--base-url", base + "/");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(
        run.out.startsWith(
            "verified chatleo 1.0.0: 3 files match the manifest (size, sha256, Content-Type,"
                + " Cache-Control) at "
                + base
                + "; no alias points at it."),
        run.out);
    JsonNode json =
        Jackson.MAPPER.readTree(
            cli("verify", "1.0.0", "--public", "--json", "--base-url", base).out);
    assertEquals("public", json.get("source").asText());
    assertEquals(base + "/v1.0.0/chatleo/loader.js", json.get("files").get(2).get("url").asText());
  }

  @Test
  void verifyPublic_baseUrlFromEnvironment_tamperedAndDeletedFiles_exit7NamingTheirUrls() {
    assertEquals(0, cli("publish", "dist", "--version", "1.0.0", "--no-aliases").exitCode);
    env.put("CDNPUB_PUBLIC_URL", base);
    try (S3Client s3 = publicBucket.client()) {
      s3.deleteObject(b -> b.bucket(bucket).key("v1.0.0/chatleo/chunks/chunk-1.js"));
      byte[] loader =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key("v1.0.0/chatleo/loader.js")).asByteArray();
      s3.putObject(
          b ->
              b.bucket(bucket)
                  .key("v1.0.0/chatleo/loader.js")
                  .contentType("application/octet-stream")
                  .cacheControl("public, max-age=31536000, immutable"),
          RequestBody.fromBytes(loader));
    }
    CliRun run = cli("verify", "1.0.0", "--public");
    assertEquals(7, run.exitCode, run.toString());
    assertTrue(run.err.contains("failed verification at " + base + ": 2 of 3 files"), run.err);
    assertTrue(run.err.contains("chunks/chunk-1.js (missing (HTTP 404))"), run.err);
    assertTrue(
        run.err.contains("loader.js (Content-Type \"application/octet-stream\", manifest"),
        run.err);
  }

  @Test
  void verifyPublic_fileAddedUnderTheRelease_isListedFromTheStore_andNamedByItsUrl()
      throws Exception {
    assertEquals(0, cli("publish", "dist", "--version", "1.0.0", "--no-aliases").exitCode);
    try (S3Client s3 = publicBucket.client()) {
      s3.putObject(
          b ->
              b.bucket(bucket)
                  .key("v1.0.0/chatleo/evil.js")
                  .contentType("text/javascript; charset=utf-8")
                  .cacheControl("public, max-age=31536000, immutable"),
          RequestBody.fromString("alert(1)"));
    }
    CliRun run = cli("verify", "1.0.0", "--public", "--base-url", base, "--json");
    assertEquals(7, run.exitCode, run.toString());
    JsonNode json = Jackson.MAPPER.readTree(run.out);
    assertEquals(0, json.get("badFileCount").asInt(), run.out);
    assertEquals(
        base + "/v1.0.0/chatleo/evil.js",
        json.get("unexpectedFiles").get(0).get("url").asText(),
        run.out);
    assertTrue(
        json.get("message").asText().endsWith("1 unexpected file not in the manifest: evil.js."),
        run.out);
  }

  @Test
  void verifyPublic_aliasUrlsThatDoNotRedirect_exit7NamingEachAliasUrl() throws Exception {
    env.putAll(kv.env());
    CliRun published = cli("publish", "dist", "--version", "1.0.0");
    assertEquals(0, published.exitCode, published.toString());
    CliRun run = cli("verify", "1.0.0", "--public", "--base-url", base, "--json");
    assertEquals(7, run.exitCode, run.toString());
    JsonNode json = Jackson.MAPPER.readTree(run.out);
    List<String> aliases = new ArrayList<>();
    json.get("aliases").forEach(a -> aliases.add(a.asText()));
    assertEquals(List.of("latest", "v1", "v1.0"), aliases);
    assertEquals(0, json.get("badFileCount").asInt(), run.out);
    assertEquals(9, json.get("redirects").size());
    JsonNode first = json.get("redirects").get(0);
    assertEquals(base + "/latest/chatleo/chunks/chunk-1.js", first.get("url").asText());
    assertEquals(base + "/v1.0.0/chatleo/chunks/chunk-1.js", first.get("expected").asText());
    assertEquals("[\"HTTP 404, not a redirect\"]", first.get("problems").toString());
    assertTrue(
        json.get("message").asText().contains("9 alias URLs do not redirect to the version"),
        run.out);
  }

  @Test
  void verifyPublic_anAliasWithACanary_isLeftOutOfTheRedirectCheck() throws Exception {
    env.putAll(kv.env());
    assertEquals(0, cli("publish", "dist", "--version", "1.0.0").exitCode);
    assertEquals(0, cli("publish", "dist", "--version", "1.0.1", "--no-aliases").exitCode);
    CliRun canary = cli("alias", "set", "v1", "1.0.1", "--canary", "25");
    assertEquals(0, canary.exitCode, canary.toString());
    JsonNode json =
        Jackson.MAPPER.readTree(
            cli("verify", "1.0.0", "--public", "--base-url", base, "--json").out);
    List<String> aliases = new ArrayList<>();
    json.get("aliases").forEach(a -> aliases.add(a.asText()));
    assertEquals(List.of("latest", "v1.0"), aliases, "v1 answers by the client's address");
    assertEquals(
        "[{\"alias\":\"v1\",\"reason\":\"canary in progress (its redirect depends on the client's address)\"}]",
        json.get("skippedAliases").toString(),
        "the stable version's check says v1 was left out");

    CliRun canaryVersion = cli("verify", "1.0.1", "--public", "--base-url", base);
    assertEquals(0, canaryVersion.exitCode, canaryVersion.toString());
    assertTrue(
        canaryVersion.out.endsWith(
            " at "
                + base
                + "; v1 skipped: canary in progress (its redirect depends on the client's address).\n"),
        "not 'no alias points at it': " + canaryVersion.out);
    CliRun stable = cli("verify", "1.0.0", "--public", "--base-url", base);
    assertEquals(7, stable.exitCode, "no resolver in front of the bucket: " + stable);
    assertTrue(
        stable.out.contains(
            "  skipped  v1: canary in progress (its redirect depends on the client's address)\n"),
        stable.out);
  }

  @Test
  void verifyPublic_r2WithoutAnyBaseUrl_isRefusedWithExit2() {
    assertEquals(0, cli("publish", "dist", "--version", "1.0.0", "--no-aliases").exitCode);
    CliRun run = cli("verify", "1.0.0", "--public");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("verify --public needs the CDN's address"), run.err);
  }
}
