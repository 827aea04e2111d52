package dev.cdnpub.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.TestFiles;
import dev.cdnpub.worker.RoutePlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * worker export and worker deploy, on the local store's aliases; WireMock stands in for the Workers
 * API.
 */
class WorkerCommandTest {
  static final String ZONE = "zone0123456789";
  static final String SCRIPT_PATH =
      "/client/v4/accounts/" + KvApiMock.ACCOUNT + "/workers/scripts/cdnpub-resolver";
  static final String ROUTES_PATH = "/client/v4/zones/" + ZONE + "/workers/routes";
  static final JsonMapper JSONC =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
  static KvApiMock api;

  @TempDir Path work;
  Map<String, String> env;

  @BeforeAll
  static void start() {
    api = new KvApiMock();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @BeforeEach
  void aliasesInLocalStore() {
    api.reset();
    env = new HashMap<>();
    env.put("CDNPUB_LIBRARY", "chatleo");
    assertEquals(
        0,
        CliRun.run(
                work,
                env,
                "publish",
                TestFiles.library(work.resolve("a"), "a", 1).toString(),
                "--version",
                "1.2.3")
            .exitCode);
    assertEquals(
        0,
        CliRun.run(
                work,
                env,
                "publish",
                TestFiles.library(work.resolve("b"), "b", 1).toString(),
                "--version",
                "2.0.0-rc.1",
                "--tag",
                "next")
            .exitCode);
    env.putAll(api.env());
    env.put("CDNPUB_CDN_HOST", "cdn.example.com");
    env.put("CDNPUB_ZONE_NAME", "example.com");
    env.put("CDNPUB_ZONE_ID", ZONE);
    env.put("CDNPUB_ALIAS_BROWSER_TTL", "120");
  }

  static String resolverSource() throws Exception {
    return Files.readString(Path.of("src/main/worker/resolver.js"), StandardCharsets.UTF_8);
  }

  @Test
  void export_writesScriptAndWranglerConfigWithOneRoutePerAliasInUse() throws Exception {
    CliRun run = CliRun.run(work, env, "worker", "export", "out");
    assertEquals(0, run.exitCode, run.toString());
    assertEquals(resolverSource(), Files.readString(work.resolve("out/resolver.js")));
    JsonNode config = JSONC.readTree(Files.readString(work.resolve("out/wrangler.jsonc")));
    assertEquals("cdnpub-resolver", config.get("name").asText());
    assertEquals("resolver.js", config.get("main").asText());
    assertTrue(config.get("compatibility_date").asText().matches("\\d{4}-\\d{2}-\\d{2}"));
    assertEquals("ALIASES", config.get("kv_namespaces").get(0).get("binding").asText());
    assertEquals(KvApiMock.NAMESPACE, config.get("kv_namespaces").get(0).get("id").asText());
    assertEquals(
        "120",
        config.get("vars").get("ALIAS_BROWSER_TTL").asText(),
        "TTL variables are configurable");
    assertEquals("60", config.get("vars").get("KV_CACHE_TTL").asText());
    assertEquals(3, config.get("vars").size(), "the Worker's variables, no more");
    List<String> patterns = new ArrayList<>();
    for (JsonNode route : config.get("routes")) {
      patterns.add(route.get("pattern").asText());
      assertEquals("example.com", route.get("zone_name").asText());
    }
    assertEquals(
        List.of(
            "cdn.example.com/latest/*",
            "cdn.example.com/next/*",
            "cdn.example.com/v1.2/*",
            "cdn.example.com/v1/*"),
        patterns);
    for (String alias : List.of("latest", "next", "v1", "v1.2")) {
      assertTrue(
          patterns.stream()
              .anyMatch(
                  p -> RoutePlan.matches(p, "cdn.example.com/" + alias + "/chatleo/loader.js")),
          alias);
    }
    for (String pinned : List.of("v1.2.3", "v2.0.0-rc.1", "v1.2.30")) {
      assertFalse(
          patterns.stream()
              .anyMatch(
                  p -> RoutePlan.matches(p, "cdn.example.com/" + pinned + "/chatleo/loader.js")),
          "pinned /" + pinned + "/ must never reach the Worker");
    }
  }

  @Test
  void export_missingSettings_exit2AndWritesNothing() {
    env.remove("CDNPUB_CDN_HOST");
    CliRun run = CliRun.run(work, env, "worker", "export", "out");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("CDNPUB_CDN_HOST"), run.err);
    assertFalse(Files.exists(work.resolve("out")));
    env.put("CDNPUB_CDN_HOST", "https://cdn.example.com/");
    assertEquals(
        2, CliRun.run(work, env, "worker", "export", "out").exitCode, "a URL is not a host");
    env.put("CDNPUB_CDN_HOST", "cdn.example.com");
    env.put("CDNPUB_ALIAS_SHORT_BROWSER_TTL", "soon");
    assertEquals(
        2, CliRun.run(work, env, "worker", "export", "out").exitCode, "TTL must be seconds");
  }

  private void stubWorkersApi(String routesJson) {
    api.server.stubFor(
        put(urlPathEqualTo(SCRIPT_PATH))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"cdnpub-resolver\"}}")));
    api.server.stubFor(
        get(urlPathEqualTo(ROUTES_PATH))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":"
                            + routesJson
                            + "}")));
    api.server.stubFor(
        post(urlPathEqualTo(ROUTES_PATH))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"new\",\"pattern\":\"x\",\"script\":\"cdnpub-resolver\"}}")));
  }

  private List<LoggedRequest> requests(RequestMethod method, String path) {
    return api.server.findAll(
        new com.github.tomakehurst.wiremock.matching.RequestPatternBuilder(
            method, urlPathEqualTo(path)));
  }

  @Test
  void deploy_uploadsScriptAndCreatesOnlyMissingRoutes_leavingForeignOnesAlone() throws Exception {
    stubWorkersApi(
        "[{\"id\":\"r1\",\"pattern\":\"cdn.example.com/latest/*\",\"script\":\"cdnpub-resolver\"},"
            + "{\"id\":\"r2\",\"pattern\":\"cdn.example.com/v1/*\",\"script\":\"legacy-router\"},"
            + "{\"id\":\"r3\",\"pattern\":\"cdn.example.com/v9/*\",\"script\":\"cdnpub-resolver\"}]");
    CliRun run = CliRun.run(work, env, "worker", "deploy");
    assertEquals(0, run.exitCode, run.toString());

    api.server.verify(
        1,
        putRequestedFor(urlEqualTo(SCRIPT_PATH))
            .withHeader("Authorization", equalTo("Bearer " + KvApiMock.TOKEN)));
    LoggedRequest upload = requests(RequestMethod.PUT, SCRIPT_PATH).get(0);
    assertTrue(
        upload.getHeader("Content-Type").startsWith("multipart/form-data"),
        upload.getHeader("Content-Type"));
    JsonNode metadata = null;
    String module = null;
    String moduleType = null;
    for (var part : upload.getParts()) {
      if (part.getName().equals("metadata")) {
        metadata = JSONC.readTree(part.getBody().asString());
      } else if (part.getName().equals("resolver.js")) {
        module = part.getBody().asString();
        moduleType = part.getHeader("Content-Type").firstValue();
      }
    }
    assertEquals(resolverSource(), module);
    assertEquals("application/javascript+module", moduleType);
    assertEquals("resolver.js", metadata.get("main_module").asText());
    assertTrue(metadata.get("compatibility_date").asText().matches("\\d{4}-\\d{2}-\\d{2}"));
    assertEquals(
        JSONC.readTree(
            "[{\"type\":\"kv_namespace\",\"name\":\"ALIASES\",\"namespace_id\":\""
                + KvApiMock.NAMESPACE
                + "\"},"
                + "{\"type\":\"plain_text\",\"name\":\"ALIAS_BROWSER_TTL\",\"text\":\"120\"},"
                + "{\"type\":\"plain_text\",\"name\":\"ALIAS_SHORT_BROWSER_TTL\",\"text\":\"60\"},"
                + "{\"type\":\"plain_text\",\"name\":\"KV_CACHE_TTL\",\"text\":\"60\"}]"),
        metadata.get("bindings"));

    // every request, in order: read the routes, upload the script, then create routes
    List<String> sequence = new ArrayList<>();
    List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> events =
        new ArrayList<>(api.server.getAllServeEvents());
    java.util.Collections.reverse(events);
    for (var e : events) {
      sequence.add(e.getRequest().getMethod() + " " + e.getRequest().getUrl());
      assertEquals("Bearer " + KvApiMock.TOKEN, e.getRequest().getHeader("Authorization"));
    }
    assertEquals(
        List.of(
            "GET " + ROUTES_PATH,
            "PUT " + SCRIPT_PATH,
            "POST " + ROUTES_PATH,
            "POST " + ROUTES_PATH),
        sequence);

    List<LoggedRequest> creates = requests(RequestMethod.POST, ROUTES_PATH);
    assertEquals(2, creates.size(), "only the missing next and v1.2 routes are created");
    api.server.verify(
        postRequestedFor(urlEqualTo(ROUTES_PATH))
            .withRequestBody(
                equalToJson(
                    "{\"pattern\":\"cdn.example.com/next/*\",\"script\":\"cdnpub-resolver\"}")));
    api.server.verify(
        postRequestedFor(urlEqualTo(ROUTES_PATH))
            .withRequestBody(
                equalToJson(
                    "{\"pattern\":\"cdn.example.com/v1.2/*\",\"script\":\"cdnpub-resolver\"}")));
    assertTrue(
        run.err.contains("route cdn.example.com/v1/* belongs to script legacy-router"), run.err);
    assertEquals(
        0,
        api.server
            .findAll(
                new com.github.tomakehurst.wiremock.matching.RequestPatternBuilder(
                    RequestMethod.DELETE, com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))
            .size(),
        "nothing is deleted");
  }

  @Test
  void exportAndDeploy_needNoLibraryName_asTheRoutesComeFromEveryLibrary() throws Exception {
    env.remove("CDNPUB_LIBRARY");
    assertFalse(Files.exists(work.resolve("package.json")), "nothing names a library");
    CliRun export = CliRun.run(work, env, "worker", "export", "out");
    assertEquals(0, export.exitCode, export.toString());
    assertTrue(
        Files.readString(work.resolve("out/wrangler.jsonc")).contains("cdn.example.com/v1.2/*"));

    stubWorkersApi("[]");
    CliRun deploy = CliRun.run(work, env, "worker", "deploy");
    assertEquals(0, deploy.exitCode, deploy.toString());
    assertEquals(1, requests(RequestMethod.PUT, SCRIPT_PATH).size());
    assertEquals(4, requests(RequestMethod.POST, ROUTES_PATH).size(), "one route per alias");
  }

  @Test
  void deploy_rerunWithRoutesInPlace_createsNothing() {
    stubWorkersApi(
        "[{\"id\":\"1\",\"pattern\":\"cdn.example.com/latest/*\",\"script\":\"cdnpub-resolver\"},"
            + "{\"id\":\"2\",\"pattern\":\"cdn.example.com/next/*\",\"script\":\"cdnpub-resolver\"},"
            + "{\"id\":\"3\",\"pattern\":\"cdn.example.com/v1/*\",\"script\":\"cdnpub-resolver\"},"
            + "{\"id\":\"4\",\"pattern\":\"cdn.example.com/v1.2/*\",\"script\":\"cdnpub-resolver\"}]");
    CliRun run = CliRun.run(work, env, "worker", "deploy");
    assertEquals(0, run.exitCode, run.toString());
    assertEquals(0, requests(RequestMethod.POST, ROUTES_PATH).size());
    assertEquals(1, requests(RequestMethod.PUT, SCRIPT_PATH).size());
  }

  @Test
  void deploy_dryRun_showsChangesAndWritesNothing() {
    stubWorkersApi("[]");
    CliRun run = CliRun.run(work, env, "worker", "deploy", "--dry-run");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.out.contains("route: would create cdn.example.com/v1/*"), run.out);
    assertTrue(run.out.contains("script: would upload cdnpub-resolver"), run.out);
    assertEquals(0, requests(RequestMethod.POST, ROUTES_PATH).size());
    assertEquals(0, requests(RequestMethod.PUT, SCRIPT_PATH).size());
  }

  @Test
  void deploy_missingAnySetting_exit2BeforeAnyRequest() {
    for (String name :
        List.of(
            "CDNPUB_ZONE_ID",
            "CLOUDFLARE_API_TOKEN",
            "CDNPUB_CDN_HOST",
            "CDNPUB_KV_NAMESPACE_ID",
            "CLOUDFLARE_ACCOUNT_ID")) {
      Map<String, String> without = new HashMap<>(env);
      without.remove(name);
      CliRun run = CliRun.run(work, without, "worker", "deploy");
      assertEquals(2, run.exitCode, name + ": " + run);
      assertTrue(run.err.contains(name), name + ": " + run.err);
    }
    assertEquals(0, api.server.getAllServeEvents().size());
  }

  @Test
  void deploy_missingEverySetting_namesThemAllInOneSentence() {
    Map<String, String> without = new HashMap<>(env);
    for (String name :
        List.of(
            "CDNPUB_ZONE_ID",
            "CLOUDFLARE_API_TOKEN",
            "CDNPUB_CDN_HOST",
            "CDNPUB_KV_NAMESPACE_ID",
            "CLOUDFLARE_ACCOUNT_ID")) {
      without.remove(name);
    }
    CliRun run = CliRun.run(work, without, "worker", "deploy");
    assertEquals(2, run.exitCode, run.toString());
    assertEquals(1, run.err.lines().count(), run.err);
    for (String name :
        List.of(
            "CDNPUB_ZONE_ID",
            "CLOUDFLARE_API_TOKEN",
            "CDNPUB_CDN_HOST",
            "CDNPUB_KV_NAMESPACE_ID",
            "CLOUDFLARE_ACCOUNT_ID")) {
      assertTrue(run.err.contains(name), name + ": " + run.err);
    }
    assertEquals(0, api.server.getAllServeEvents().size());
  }

  @Test
  void deploy_routeWithoutScript_isReportedAsDisablingWorkers() {
    stubWorkersApi("[{\"id\":\"9\",\"pattern\":\"cdn.example.com/next/*\",\"script\":null}]");
    CliRun run = CliRun.run(work, env, "worker", "deploy");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(
        run.err.contains("route cdn.example.com/next/* disables Workers on that path"), run.err);
  }

  @Test
  void deploy_tokenWithoutRoutePermission_exits6() {
    stubWorkersApi("[]");
    api.server.stubFor(
        post(urlPathEqualTo(ROUTES_PATH))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody(
                        "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}")));
    CliRun run = CliRun.run(work, env, "worker", "deploy");
    assertEquals(6, run.exitCode, run.toString());
    assertFalse(run.all().contains(KvApiMock.TOKEN));
  }

  @Test
  void publish_newAliasOnR2_saysRoutesNeedDeploying_unlessAnotherLibraryUsesIt() {
    dev.cdnpub.testing.S3ProxyServer s3 = dev.cdnpub.testing.S3ProxyServer.shared();
    Map<String, String> r2 = s3.r2Env(s3.newBucket());
    r2.putAll(api.env());
    java.util.function.BiFunction<String, String, CliRun> publish =
        (library, version) ->
            CliRun.run(
                work,
                r2,
                "publish",
                TestFiles.library(work.resolve(library + version), library + version, 1).toString(),
                "--version",
                version,
                "--library",
                library);
    CliRun first = publish.apply("chatleo", "1.2.3");
    assertTrue(
        first.out.contains(
            "routes: new aliases latest, v1, v1.2 need Worker routes; run cdnpub worker deploy"),
        first.out);
    CliRun other = publish.apply("otherlib", "2.0.0");
    assertTrue(
        other.out.contains("routes: new aliases v2, v2.0 need Worker routes"),
        "latest is routed already: " + other.out);
    CliRun major = publish.apply("chatleo", "2.1.0");
    assertTrue(
        major.out.contains("routes: new alias v2.1 needs a Worker route"),
        "v2 is routed for otherlib: " + major.out);
    CliRun patch = publish.apply("chatleo", "2.1.1");
    assertFalse(patch.out.contains("routes:"), "no new alias, no route note: " + patch.out);
    CliRun local =
        CliRun.run(
            work,
            Map.of("CDNPUB_LIBRARY", "chatleo"),
            "publish",
            TestFiles.library(work.resolve("l"), "l", 1).toString(),
            "--version",
            "9.0.0");
    assertFalse(local.out.contains("routes:"), "the local store has no Worker: " + local.out);
  }

  @Test
  void export_routesCoverEveryLibraryInTheStore() throws Exception {
    Map<String, String> other = new HashMap<>(env);
    other.put("CDNPUB_LIBRARY", "otherlib");
    assertEquals(
        0,
        CliRun.run(
                work,
                other,
                "publish",
                TestFiles.library(work.resolve("o"), "o", 1).toString(),
                "--version",
                "4.0.0")
            .exitCode);
    assertEquals(0, CliRun.run(work, env, "worker", "export", "out").exitCode);
    String config = Files.readString(work.resolve("out/wrangler.jsonc"));
    assertTrue(
        config.contains("cdn.example.com/v4/*") && config.contains("cdn.example.com/v4.0/*"),
        config);
    assertTrue(config.contains("cdn.example.com/v1/*"), config);
  }

  @Test
  void workerAndAliasCommands_inCiWithoutChosenTarget_exit2() {
    env.put("CI", "true");
    for (String[] args :
        List.of(
            new String[] {"worker", "export", "out"},
            new String[] {"worker", "deploy"},
            new String[] {"alias", "list"},
            new String[] {"versions"},
            new String[] {"rollback", "v1"})) {
      CliRun run = CliRun.run(work, env, args);
      assertEquals(2, run.exitCode, String.join(" ", args) + ": " + run);
      assertTrue(run.err.contains("CDNPUB_TARGET=r2"), run.err);
    }
    assertEquals(0, api.server.getAllServeEvents().size());
    assertFalse(Files.exists(work.resolve("out")));
  }

  @Test
  void noCommand_isUsageError() {
    CliRun run = CliRun.run(work, env);
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("a command is needed"), run.err);
  }

  @Test
  void export_toAFile_isOneSentenceExit2() throws Exception {
    Files.writeString(work.resolve("taken"), "x");
    CliRun run = CliRun.run(work, env, "worker", "export", "taken");
    assertEquals(2, run.exitCode, run.toString());
    assertEquals(
        "cdnpub: "
            + work.resolve("taken")
            + " is a file, not a folder; give a folder for the Worker files.",
        run.err.trim());
  }

  @Test
  void export_readsWorkerSettingsFromConfigFile() throws Exception {
    for (String name :
        List.of(
            "CDNPUB_CDN_HOST",
            "CDNPUB_ZONE_NAME",
            "CDNPUB_ZONE_ID",
            "CDNPUB_ALIAS_BROWSER_TTL",
            "CDNPUB_KV_NAMESPACE_ID")) {
      env.remove(name);
    }
    Files.writeString(
        work.resolve("cdnpub.json"),
        "{\"kv\":{\"namespaceId\":\"nsfromconfig\"},"
            + "\"worker\":{\"cdnHost\":\"assets.example.org\",\"zoneId\":\"zoneabc\",\"name\":\"edge-resolver\","
            + "\"vars\":{\"ALIAS_SHORT_BROWSER_TTL\":5}}}");
    CliRun run = CliRun.run(work, env, "worker", "export", "out");
    assertEquals(0, run.exitCode, run.toString());
    JsonNode config = JSONC.readTree(Files.readString(work.resolve("out/wrangler.jsonc")));
    assertEquals("edge-resolver", config.get("name").asText());
    assertEquals("nsfromconfig", config.get("kv_namespaces").get(0).get("id").asText());
    assertEquals("5", config.get("vars").get("ALIAS_SHORT_BROWSER_TTL").asText());
    assertEquals(
        "assets.example.org/latest/*", config.get("routes").get(0).get("pattern").asText());
    assertEquals(
        "zoneabc",
        config.get("routes").get(0).get("zone_id").asText(),
        "zone_id when no zone name is given");
  }
}
