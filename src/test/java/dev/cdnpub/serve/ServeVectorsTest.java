package dev.cdnpub.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.Application;
import dev.cdnpub.app.ServeStore;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.RawHttp;
import dev.cdnpub.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The resolver vectors (src/test/resources/resolver-vectors.json), which the Worker passes in
 * workerd, against {@code cdnpub serve}: on the local store, and on R2 (S3Proxy) with Workers KV
 * (WireMock). Each case's {@code kv} is what the alias KV holds, its {@code vars} become the TTL
 * settings ({@code CDNPUB_ALIAS_BROWSER_TTL}, …), one server per store and set of vars, as the
 * Worker's runner starts one workerd per set of vars.
 *
 * <p>Every case goes over a raw socket, its URL's path and query as UTF-8 bytes, unparsed: what a
 * fetch client's URL parser would do first, serve does on arrival (as workerd does with a raw
 * target). Origin mapping: serve speaks plain HTTP on loopback, so {@code https://cdn.example.com}
 * becomes serve's own origin {@code http://127.0.0.1:PORT} (sent as the Host header, expected in
 * Location); an {@code http://} origin is sent as its Host header and expected as is. A case whose
 * {@code targets} leaves out "serve" is reported as skipped with its {@code targetsReason}.
 */
class ServeVectorsTest {
  static final JsonNode VECTORS = load();
  static final List<String> RUNNERS = List.of("worker", "serve");
  private static final Pattern URL = Pattern.compile("(https?)://([^/]+)(/.*)");
  private static final List<ServeStore.Serving> RUNNING = new ArrayList<>();
  private static KvApiMock kvApi;

  static JsonNode load() {
    try (InputStream in = ServeVectorsTest.class.getResourceAsStream("/resolver-vectors.json")) {
      return Jackson.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean forServe(JsonNode c) {
    JsonNode targets = c.get("targets");
    if (targets == null) {
      return true;
    }
    for (JsonNode t : targets) {
      if (t.asText().equals("serve")) {
        return true;
      }
    }
    return false;
  }

  @AfterAll
  static void stop() {
    RUNNING.forEach(ServeStore.Serving::close);
    if (kvApi != null) {
      kvApi.close();
    }
  }

  @Test
  void vectors_everyCaseRunsOnServe_orNamesWhyNot() {
    int skipped = 0;
    for (JsonNode c : VECTORS.get("cases")) {
      JsonNode targets = c.get("targets");
      if (targets == null) {
        continue;
      }
      assertTrue(targets.size() > 0, c.get("name").asText());
      targets.forEach(t -> assertTrue(RUNNERS.contains(t.asText()), t.asText()));
      if (!forServe(c)) {
        skipped++;
        assertFalse(c.path("targetsReason").asText().isBlank(), c.get("name").asText());
      }
    }
    assertTrue(skipped <= 4, "only the cases that cannot apply to serve are left out: " + skipped);
  }

  @Test
  void canaryBuckets_theHashExamples_holdForServesPort() {
    JsonNode examples = VECTORS.get("canaryBuckets");
    assertTrue(examples.size() > 0);
    for (JsonNode e : examples) {
      assertEquals(
          e.get("bucket").asLong(),
          AliasResolver.bucketOf(e.get("ip").asText(), e.get("key").asText()),
          e.toString());
    }
  }

  /**
   * A field this runner does not know would be ignored, and a case that depends on it could pass
   * here for the wrong reason: every field must be one the runner applies.
   */
  @Test
  void vectors_useOnlyFieldsThisRunnerApplies() {
    Set<String> caseFields =
        Set.of(
            "name",
            "note",
            "targets",
            "targetsReason",
            "kv",
            "kvMetadata",
            "vars",
            "request",
            "expect");
    Set<String> requestFields = Set.of("method", "url", "headers", "transport");
    Set<String> expectFields = Set.of("status", "headers", "absentHeaders", "body", "bodyContains");
    for (JsonNode c : VECTORS.get("cases")) {
      String name = c.get("name").asText();
      c.fieldNames()
          .forEachRemaining(
              f ->
                  assertTrue(
                      caseFields.contains(f),
                      name
                          + ": field "
                          + f
                          + " is not applied by the serve runner; teach it (and serve), or give the case \"targets\": [\"worker\"] with a reason"));
      c.get("request")
          .fieldNames()
          .forEachRemaining(f -> assertTrue(requestFields.contains(f), name + ": request." + f));
      c.get("expect")
          .fieldNames()
          .forEachRemaining(f -> assertTrue(expectFields.contains(f), name + ": expect." + f));
    }
  }

  @TestFactory
  Stream<DynamicNode> vectors_onTheLocalStore() throws IOException {
    return groups(
        "local store",
        (vars) -> {
          Path work = Files.createTempDirectory("serve-vectors");
          Files.createDirectories(work.resolve(".cdnpub"));
          Map<String, String> env = vars(vars);
          ServeStore.Serving serving = start(work, env, ApiFactory.DEFAULT);
          Path kvDir = work.resolve(".cdnpub/kv");
          Path metadataDir = work.resolve(".cdnpub/kv-metadata");
          return new Server(
              serving,
              (values, metadata) -> {
                deleteTree(kvDir);
                deleteTree(metadataDir);
                // Written as files, as LocalAliasKv keeps them: a vector's metadata may be
                // malformed on purpose, which no Canary value can express.
                values.forEach((k, v) -> write(kvDir.resolve(k), v));
                metadata.forEach((k, v) -> write(metadataDir.resolve(k), v));
              });
        });
  }

  @TestFactory
  Stream<DynamicNode> vectors_onR2WithWorkersKv() throws IOException {
    kvApi = new KvApiMock();
    S3ProxyServer s3 = S3ProxyServer.shared();
    return groups(
        "r2 + Workers KV",
        (vars) -> {
          Path work = Files.createTempDirectory("serve-vectors");
          Map<String, String> env = vars(vars);
          env.putAll(s3.r2Env(s3.newBucket()));
          env.putAll(kvApi.env());
          ServeStore.Serving serving = start(work, env, KvApiMock.noWait(new ArrayList<>()));
          return new Server(
              serving,
              (values, metadata) -> {
                kvApi.reset();
                values.forEach(kvApi::holds);
                metadata.forEach(kvApi::holdsMetadata);
              });
        });
  }

  /**
   * A running serve and how to make its alias KV hold exactly a case's {@code kv} and {@code
   * kvMetadata} (metadata as JSON text).
   */
  record Server(
      ServeStore.Serving serving, BiConsumer<Map<String, String>, Map<String, String>> seed) {}

  interface Starter {
    Server start(JsonNode vars) throws IOException;
  }

  private Stream<DynamicNode> groups(String store, Starter starter) {
    Map<String, List<JsonNode>> byVars = new LinkedHashMap<>();
    for (JsonNode c : VECTORS.get("cases")) {
      byVars.computeIfAbsent(c.path("vars").toString(), k -> new ArrayList<>()).add(c);
    }
    List<DynamicNode> nodes = new ArrayList<>();
    for (List<JsonNode> group : byVars.values()) {
      JsonNode vars = group.get(0).path("vars");
      Server[] server = new Server[1];
      List<DynamicNode> tests = new ArrayList<>();
      for (JsonNode c : group) {
        String name = c.get("name").asText();
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  Assumptions.assumeTrue(
                      forServe(c), () -> "not for serve: " + c.path("targetsReason").asText());
                  if (server[0] == null) {
                    server[0] = starter.start(vars);
                  }
                  run(server[0], c);
                }));
      }
      nodes.add(DynamicContainer.dynamicContainer(store + ", vars " + vars, tests));
    }
    return nodes.stream();
  }

  private static Map<String, String> vars(JsonNode vars) {
    Map<String, String> env = new HashMap<>();
    vars.fields().forEachRemaining(e -> env.put("CDNPUB_" + e.getKey(), e.getValue().asText()));
    return env;
  }

  private static ServeStore.Serving start(Path work, Map<String, String> env, ApiFactory apis) {
    Application app =
        new Application(env, work, Clock.systemUTC(), line -> {}, StoreFactory.DEFAULT, apis);
    ServeStore.Serving serving =
        new ServeStore(app)
            .start(
                new ServeStore.Request(
                    SettingsResolver.Flags.none(), "127.0.0.1", 0, RequestLog.NONE));
    RUNNING.add(serving);
    return serving;
  }

  private static void run(Server server, JsonNode c) throws IOException {
    Map<String, String> kv = new LinkedHashMap<>();
    c.path("kv").fields().forEachRemaining(e -> kv.put(e.getKey(), e.getValue().asText()));
    Map<String, String> metadata = new LinkedHashMap<>();
    c.path("kvMetadata")
        .fields()
        .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().toString()));
    assertTrue(kv.keySet().containsAll(metadata.keySet()), "kvMetadata only on keys with a value");
    server.seed().accept(kv, metadata);

    JsonNode request = c.get("request");
    Matcher url = URL.matcher(request.get("url").asText());
    assertTrue(url.matches(), request.get("url").asText());
    String own = server.serving().url().substring("http://".length());
    String host;
    String expectedOrigin;
    if (url.group(1).equals("https")) {
      assertEquals("cdn.example.com", url.group(2), "the one https origin that is mapped");
      host = own;
      expectedOrigin = "http://" + own;
    } else {
      host = url.group(2);
      expectedOrigin = null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", host);
    request
        .path("headers")
        .fields()
        .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    int port = Integer.parseInt(own.substring(own.lastIndexOf(':') + 1));
    RawHttp.Response actual =
        RawHttp.send(port, request.get("method").asText(), url.group(3), headers);

    JsonNode expect = c.get("expect");
    assertEquals(expect.get("status").asInt(), actual.status(), "status, body " + actual.text());
    for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("headers").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      String value = h.getValue().asText();
      if (h.getKey().equals("location") && expectedOrigin != null) {
        value = value.replaceFirst("^https://cdn\\.example\\.com", expectedOrigin);
      }
      assertEquals(value, actual.header(h.getKey()), "header " + h.getKey());
    }
    for (JsonNode absent : expect.path("absentHeaders")) {
      assertNull(actual.header(absent.asText()), "header " + absent.asText() + " must be absent");
    }
    if (expect.has("body")) {
      assertEquals(expect.get("body").asText(), actual.text(), "body");
    }
    if (expect.has("bodyContains")) {
      String part = expect.get("bodyContains").asText();
      assertTrue(actual.text().contains(part), actual.text() + " lacks " + part);
      assertTrue(actual.text().matches("[^\n]*\n"), "one line: " + actual.text());
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
