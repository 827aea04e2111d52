package dev.cdnpub.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.Application;
import dev.cdnpub.app.ServeStore;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.Digests;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.RawHttp;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pinned URLs through {@code cdnpub serve}, as R2's public bucket answers them, on the local store
 * and on R2 (S3Proxy, aliases in Workers KV through WireMock); and that nothing under {@code
 * _cdnpub/} or outside the store is served, however the path is written.
 */
class ServePinnedFilesTest {
  static final String LOADER = "// chatleo loader \u2713\nconsole.log('1.0.0');\n";
  static final String CSS = ".chatleo { color: red; }\n";

  @TempDir Path work;
  private KvApiMock kvApi;
  private ServeStore.Serving serving;
  private Map<String, String> env;

  @AfterEach
  void stop() {
    if (serving != null) {
      serving.close();
    }
    if (kvApi != null) {
      kvApi.close();
    }
  }

  static Stream<Arguments> stores() {
    return Stream.of(Arguments.of("local"), Arguments.of("r2"));
  }

  /** Publishes chatleo 1.0.0 to the chosen store, then starts serve on it. */
  private void publishAndServe(String store) {
    env = new HashMap<>(Map.of("CDNPUB_LIBRARY", "chatleo"));
    if (store.equals("r2")) {
      S3ProxyServer s3 = S3ProxyServer.shared();
      kvApi = new KvApiMock();
      env.putAll(s3.r2Env(s3.newBucket()));
      env.putAll(kvApi.env());
    }
    TestFiles.write(work.resolve("dist"), Map.of("loader.js", LOADER, "widget.css", CSS));
    CliRun published = CliRun.run(work, env, "publish", "dist", "--version", "1.0.0");
    assertEquals(0, published.exitCode, published.toString());
    Application app =
        new Application(
            env,
            work,
            Clock.systemUTC(),
            line -> {},
            StoreFactory.DEFAULT,
            store.equals("r2") ? KvApiMock.noWait(new ArrayList<>()) : ApiFactory.DEFAULT);
    serving =
        new ServeStore(app)
            .start(
                new ServeStore.Request(
                    SettingsResolver.Flags.none(), "127.0.0.1", 0, RequestLog.NONE));
  }

  private RawHttp.Response get(String target, String... headers) throws Exception {
    return send("GET", target, headers);
  }

  private RawHttp.Response send(String method, String target, String... headers) throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", serving.url().substring("http://".length()));
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return RawHttp.send(serving.listener().port(), method, target, h);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void pinnedFile_servedWithItsStoredTypeAndCacheControl_anETag_andCors(String store)
      throws Exception {
    publishAndServe(store);
    RawHttp.Response js = get("/v1.0.0/chatleo/loader.js");
    assertEquals(200, js.status(), js.text());
    assertArrayEquals(LOADER.getBytes(StandardCharsets.UTF_8), js.body());
    assertEquals("text/javascript; charset=utf-8", js.header("content-type"));
    assertEquals("public, max-age=31536000, immutable", js.header("cache-control"));
    assertEquals("*", js.header("access-control-allow-origin"));
    // R2's own ETag (the MD5 of a one-part upload) through S3; the stored SHA-256 locally.
    byte[] loader = LOADER.getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "\"" + (store.equals("r2") ? Digests.md5Hex(loader) : Digests.sha256Hex(loader)) + "\"",
        js.header("etag"));
    assertEquals(String.valueOf(js.body().length), js.header("content-length"));

    RawHttp.Response css = get("/v1.0.0/chatleo/widget.css?cache-buster=1");
    assertEquals(200, css.status());
    assertEquals(CSS, css.text());
    assertTrue(css.header("content-type").startsWith("text/css"), css.header("content-type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void pinnedFile_matchingIfNoneMatch_is304WithoutBody_otherEtagsGetTheFile(String store)
      throws Exception {
    publishAndServe(store);
    String etag = get("/v1.0.0/chatleo/loader.js").header("etag");
    for (String matching : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
      RawHttp.Response notModified = get("/v1.0.0/chatleo/loader.js", "If-None-Match", matching);
      assertEquals(304, notModified.status(), matching);
      assertEquals(0, notModified.body().length);
      assertEquals(etag, notModified.header("etag"));
      assertEquals("public, max-age=31536000, immutable", notModified.header("cache-control"));
      assertEquals("*", notModified.header("access-control-allow-origin"));
    }
    RawHttp.Response changed = get("/v1.0.0/chatleo/loader.js", "If-None-Match", "\"other\"");
    assertEquals(200, changed.status());
    assertEquals(LOADER, changed.text());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void pinnedFile_head_hasGetsHeadersAndNoBody(String store) throws Exception {
    publishAndServe(store);
    RawHttp.Response get = get("/v1.0.0/chatleo/loader.js");
    RawHttp.Response head = send("HEAD", "/v1.0.0/chatleo/loader.js");
    assertEquals(200, head.status());
    assertEquals(0, head.body().length);
    assertEquals(get.headers(), head.headers());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void pinnedUrl_preflightAndOtherMethods_getTheResolversAnswers(String store) throws Exception {
    publishAndServe(store);
    RawHttp.Response preflight =
        send(
            "OPTIONS",
            "/v1.0.0/chatleo/loader.js",
            "Origin",
            "http://app.example.org",
            "Access-Control-Request-Method",
            "GET");
    assertEquals(204, preflight.status());
    assertEquals("*", preflight.header("access-control-allow-origin"));
    assertEquals("GET, HEAD, OPTIONS", preflight.header("access-control-allow-methods"));
    RawHttp.Response post = send("POST", "/v1.0.0/chatleo/loader.js", "Content-Length", "0");
    assertEquals(405, post.status());
    assertEquals("GET, HEAD, OPTIONS", post.header("allow"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void unknownFileOrVersion_is404WithCors_andNoStore(String store) throws Exception {
    publishAndServe(store);
    for (String target :
        List.of(
            "/v1.0.0/chatleo/nope.js",
            "/v9.9.9/chatleo/loader.js",
            "/v1.0.0/other/loader.js",
            "/v1.0.0x/chatleo/loader.js")) {
      RawHttp.Response missing = get(target);
      assertEquals(404, missing.status(), target);
      assertTrue(missing.text().startsWith("no such file: "), missing.text());
      assertEquals("*", missing.header("access-control-allow-origin"));
      assertEquals("no-store", missing.header("cache-control"));
    }
  }

  /** Every way a client could spell a way out of the version prefix. */
  static Stream<String> escapes() {
    String record = "_cdnpub/chatleo/versions/1.0.0.json";
    String encodedRecord = record.replace("/", "%2F");
    return Stream.of(
        "/" + record,
        "/%5Fcdnpub/chatleo/versions/1.0.0.json",
        "/v1.0.0/chatleo/../../" + record,
        "/v1.0.0/../" + record,
        "/v1/../" + record,
        "/v1.0.0/chatleo/%2e%2e/%2e%2e/" + record,
        "/v1.0.0/chatleo/%2E%2E/%2E%2E/" + record,
        "/v1.0.0/chatleo/.%2e/%2e./" + record,
        "/v1.0.0/chatleo/..%2F..%2F" + encodedRecord,
        "/v1.0.0/chatleo/..%2f..%2f" + encodedRecord,
        "/v1.0.0/chatleo/..%5C..%5C" + record.replace("/", "%5C"),
        "/v1.0.0/chatleo\\..\\..\\" + record.replace("/", "\\"),
        "/v1.0.0/chatleo/%252e%252e/%252e%252e/" + record,
        "/v1.0.0/chatleo/%c0%ae%c0%ae/%c0%ae%c0%ae/" + record,
        "/v1.0.0/chatleo/..%c0%af..%c0%af" + encodedRecord,
        "/v1.0.0/chatleo/%e0%80%ae%e0%80%ae/" + record,
        "/v1.0.0%2F..%2F" + encodedRecord,
        "/./" + record,
        "//" + record,
        "/v1.0.0/chatleo/%00/../../" + record,
        "/v1.0.0/chatleo/../../../../../../../../etc/passwd",
        "/v1.0.0/chatleo/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/v1.0.0/chatleo/../../../secret.txt",
        "/v1.0.0/chatleo/../../../../secret.txt",
        "/v1.0.0/chatleo/../../../kv/chatleo/v1",
        "/_cdnpub/probe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "r2"})
  void recordsAndFilesOutsideTheStore_areNeverServed_inAnyEncoding(String store) throws Exception {
    publishAndServe(store);
    Files.writeString(work.resolve("secret.txt"), "SECRET-NEXT-TO-THE-STORE");
    Files.createDirectories(work.resolve(".cdnpub"));
    Files.writeString(work.resolve(".cdnpub/secret.txt"), "SECRET-NEXT-TO-THE-STORE");
    try (ObjectStore direct = StoreFactory.DEFAULT.open(settings(), Long.MAX_VALUE, l -> {})) {
      String manifest =
          new String(
              direct.read("_cdnpub/chatleo/versions/1.0.0.json").orElseThrow(),
              StandardCharsets.UTF_8);
      assertTrue(manifest.contains("loader.js"), "the record exists, so serving it would show");
      for (String target : escapes().toList()) {
        for (String method : List.of("GET", "HEAD")) {
          RawHttp.Response r = send(method, target);
          assertNotEquals(200, r.status(), method + " " + target + ": " + r.text());
          assertNotEquals(304, r.status(), target);
          assertFalse(r.text().contains("\"files\""), target + " showed a record: " + r.text());
          assertFalse(r.text().contains("SECRET"), target + " showed a file outside the store");
          String location = r.header("location");
          if (location != null) {
            assertFalse(location.contains("_cdnpub"), target + " redirected to " + location);
            assertFalse(location.contains(".."), target + " redirected to " + location);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void unsealedVersion_itsStoredFilesAreServed_asTheBucketServesThem(String store)
      throws Exception {
    publishAndServe(store);
    // What an interrupted publish of 1.1.0 leaves: a file stored, no manifest (not sealed).
    try (ObjectStore direct = StoreFactory.DEFAULT.open(settings(), Long.MAX_VALUE, l -> {})) {
      direct.createIfAbsent(
          "v1.1.0/chatleo/loader.js",
          Body.ofBytes("unsealed".getBytes(StandardCharsets.UTF_8)),
          new ObjectMetadata(
              "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", Map.of()));
      assertTrue(direct.read("_cdnpub/chatleo/versions/1.1.0.json").isEmpty());
    }
    RawHttp.Response unsealed = get("/v1.1.0/chatleo/loader.js");
    assertEquals(200, unsealed.status());
    assertEquals("unsealed", unsealed.text());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aliasMove_isSeenByTheNextRequest(String store) throws Exception {
    publishAndServe(store);
    TestFiles.write(work.resolve("dist"), Map.of("loader.js", "console.log('1.0.1');\n"));
    CliRun second = CliRun.run(work, env, "publish", "dist", "--version", "1.0.1");
    assertEquals(0, second.exitCode, second.toString());
    if (kvApi != null) {
      kvApi.holds("chatleo/v1", "1.0.1");
    }
    String own = serving.url();
    assertEquals(
        own + "/v1.0.1/chatleo/loader.js", get("/v1/chatleo/loader.js").header("location"));

    if (kvApi != null) {
      kvApi.holds("chatleo/v1", "1.0.0");
    } else {
      CliRun rollback = CliRun.run(work, env, "rollback", "v1");
      assertEquals(0, rollback.exitCode, rollback.toString());
    }
    RawHttp.Response after = get("/v1/chatleo/loader.js");
    assertEquals(own + "/v1.0.0/chatleo/loader.js", after.header("location"));
    assertEquals(200, get(after.header("location").substring(own.length())).status());
    assertNull(after.header("etag"), "a redirect is not a file");
  }

  @Test
  void cdnpubVerifyPublic_throughServe_findsEveryFileAndEveryAliasRedirect() throws Exception {
    publishAndServe("local");
    CliRun verify =
        CliRun.run(work, env, "verify", "1.0.0", "--public", "--base-url", serving.url());
    assertEquals(0, verify.exitCode, verify.toString());
    assertTrue(
        verify.out.contains("latest, v1, v1.0 redirect"),
        "every alias on 1.0.0 is checked through serve: " + verify);

    // KV moved behind the log's back (a bad write, a stale sync): serve redirects v1 to 1.0.1,
    // which is what the CDN would do, and verify must say that v1 no longer leads to 1.0.0.
    TestFiles.write(
        work.resolve("dist"), Map.of("loader.js", LOADER + "//1.0.1\n", "widget.css", CSS));
    assertEquals(
        0, CliRun.run(work, env, "publish", "dist", "--version", "1.0.1", "--no-aliases").exitCode);
    Files.writeString(work.resolve(".cdnpub/kv/chatleo/v1"), "1.0.1");
    CliRun moved =
        CliRun.run(work, env, "verify", "1.0.0", "--public", "--base-url", serving.url());
    assertEquals(7, moved.exitCode, moved.toString());
    assertTrue(moved.err.contains("/v1/chatleo/"), moved.toString());
    assertFalse(moved.err.contains("/latest/chatleo/"), moved.toString());
  }

  @Test
  void linkPlantedInTheLocalStore_isNotFollowed_404() throws Exception {
    publishAndServe("local");
    Path outside = Files.createDirectories(work.resolve("outside/etc"));
    Files.writeString(outside.resolve("hostname"), "secret-host\n");
    Path objects = work.resolve(".cdnpub/objects");
    // A linked folder (objects/v9.9.9 -> outside) and a linked file inside a real release.
    Files.createSymbolicLink(objects.resolve("v9.9.9"), work.resolve("outside"));
    Files.createSymbolicLink(
        objects.resolve("v1.0.0/chatleo/hostname"), outside.resolve("hostname"));
    for (String target : List.of("/v9.9.9/etc/hostname", "/v1.0.0/chatleo/hostname")) {
      RawHttp.Response answer = get(target);
      assertEquals(404, answer.status(), target + ": " + answer.text());
      assertFalse(answer.text().contains("secret-host"), answer.text());
    }
    assertEquals(200, get("/v1.0.0/chatleo/loader.js").status(), "the real files still are");
  }

  private dev.cdnpub.config.Settings settings() {
    return new SettingsResolver(env, work).resolve(SettingsResolver.Flags.none());
  }
}
