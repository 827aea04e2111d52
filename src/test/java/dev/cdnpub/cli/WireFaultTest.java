package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.FaultProxy;
import dev.cdnpub.testing.FaultProxy.Rule;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.ShortTimeouts;
import dev.cdnpub.testing.TestFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The CLI against faults on the wire: S3Proxy (the R2 endpoint) and the KV API mock each sit behind
 * a {@link FaultProxy}. A single fault (a "blip") must be ridden out by the retries (exit 0); a
 * fault on every attempt (a "storm") must end in exit 5 with one line on stderr; a re-run without
 * faults then completes; and no sealed release ever has a missing or wrong file (every file's
 * sha256 checked against its manifest read straight from S3Proxy, and the manifest against the
 * folder that was published). Clients use {@link ShortTimeouts}, so a stall costs about a second.
 */
class WireFaultTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static KvApiMock kv;

  @TempDir Path work;
  FaultProxy r2;
  FaultProxy api;
  String bucket;
  Map<String, String> env;
  List<Duration> waits;
  S3Client direct;

  /**
   * The faults, as applied to a matching request. A 429 asks KV clients to wait 12 s (recorded, not
   * slept: see {@link ShortTimeouts#apis}); it asks the S3 client, which really sleeps what {@code
   * Retry-After} says, for 0 s.
   */
  enum Wire {
    RESET_BEFORE(Rule::resetBefore, Rule::resetBefore),
    ANSWER_LOST(Rule::resetAfter, Rule::resetAfter),
    SLOW_DOWN_503(Rule::slowDown, Rule::slowDown),
    ERROR_500(Rule::error500, Rule::error500),
    TOO_MANY_429(r -> r.tooMany(0), r -> r.tooMany(12)),
    STALL(Rule::stall, Rule::stall);

    final UnaryOperator<Rule> onS3;
    final UnaryOperator<Rule> onKv;

    Wire(UnaryOperator<Rule> onS3, UnaryOperator<Rule> onKv) {
      this.onS3 = onS3;
      this.onKv = onKv;
    }
  }

  /** Where a fault hits: one kind of request to S3 or to the KV API. */
  enum Target {
    FILES("PUT", "v[^/]+/chatleo/.*"),
    CLAIM("PUT", "_cdnpub/chatleo/claims/.*"),
    MANIFEST("PUT", "_cdnpub/chatleo/versions/.*"),
    ALIAS_LOG("PUT", "_cdnpub/chatleo/aliases/.*"),
    YANK_RECORD("PUT", "_cdnpub/chatleo/yanked/.*"),
    S3_READS("GET", ".*"),
    KV_GET("GET", null),
    KV_PUT("PUT", null);

    final String method;
    final String keyRegex;

    Target(String method, String keyRegex) {
      this.method = method;
      this.keyRegex = keyRegex;
    }

    boolean kv() {
      return keyRegex == null;
    }
  }

  @BeforeAll
  static void startKvApi() {
    kv = new KvApiMock();
  }

  @AfterAll
  static void stopKvApi() {
    kv.close();
  }

  @BeforeEach
  void start() throws Exception {
    kv.reset();
    bucket = s3.newBucket();
    r2 = new FaultProxy(s3.endpoint());
    api = new FaultProxy(URI.create(kv.baseUrl()));
    env = s3.r2Env(bucket);
    env.put("CDNPUB_R2_ENDPOINT", r2.endpoint().toString());
    env.putAll(kv.env());
    env.put("CDNPUB_CLOUDFLARE_API", api.rewrite(kv.baseUrl()));
    env.put("CDNPUB_LIBRARY", "chatleo");
    env.put("GITHUB_ACTOR", "octocat");
    waits = new ArrayList<>();
    direct = s3.client();
  }

  @AfterEach
  void stop() {
    r2.close();
    api.close();
    direct.close();
  }

  // ---------------------------------------------------------------- running and faults

  CliRun cdnpub(String... args) {
    return CliRun.run(work, env, ShortTimeouts.stores(), ShortTimeouts.apis(waits), args);
  }

  Path dist(String version) {
    Path dir = work.resolve("dist-" + version);
    return Files.isDirectory(dir) ? dir : TestFiles.library(dir, version, 3);
  }

  CliRun publish(String version) {
    return cdnpub("publish", dist(version).toString(), "--version", version);
  }

  Rule fault(Wire wire, Target target, int times) {
    Rule rule =
        target.kv()
            ? Rule.on(target.method, ".*/storage/kv/namespaces/.*/values/.*")
            : Rule.when(
                r ->
                    r.method().equals(target.method)
                        && r.path().startsWith("/" + bucket)
                        && (target.method.equals("GET")
                            || r.path()
                                .substring(bucket.length() + 1)
                                .matches("/" + target.keyRegex)));
    return target.kv()
        ? api.add(wire.onKv.apply(rule.times(times)))
        : r2.add(wire.onS3.apply(rule.times(times)));
  }

  /** One fault on the first matching request: the retries must ride it out. */
  Rule blip(Wire wire, Target target) {
    return fault(wire, target, 1);
  }

  /** The fault on every matching request (bounded): the command must give up with exit 5. */
  Rule storm(Wire wire, Target target) {
    return fault(wire, target, 200);
  }

  void noFaults() {
    r2.clearRules();
    api.clearRules();
  }

  static void assertOk(CliRun run, String what) {
    assertEquals(0, run.exitCode, what + "\n" + run);
    assertClean(run, what);
  }

  /** Exit 5 and one line saying why (retry notices aside); no stack trace, no secret. */
  static void assertRemoteFailure(CliRun run, String what) {
    assertEquals(5, run.exitCode, what + "\n" + run);
    List<String> lines = run.err.lines().filter(l -> !isNotice(l)).toList();
    assertEquals(1, lines.size(), what + ": one line on stderr\n" + run);
    assertTrue(lines.get(0).startsWith("cdnpub: "), what + "\n" + run);
    assertClean(run, what);
  }

  static boolean isNotice(String line) {
    return line.startsWith("cdnpub: Cloudflare API ") && line.contains("; retrying in ");
  }

  static void assertClean(CliRun run, String what) {
    assertFalse(run.all().contains("\tat "), what + ": no stack trace\n" + run);
    for (String secret :
        List.of(KvApiMock.TOKEN, S3ProxyServer.SECRET_KEY, S3ProxyServer.ACCESS_KEY)) {
      assertFalse(run.all().contains(secret), what + ": a secret was printed\n" + run);
    }
  }

  // ---------------------------------------------------------------- reading the truth straight
  // from S3Proxy

  byte[] object(String key) {
    return direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  List<String> keys(String prefix) {
    return direct.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(o -> o.key())
        .toList();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /**
   * Every sealed release is whole: each file in its manifest is stored with the manifest's size and
   * sha256, and the manifest lists exactly the files of the folder that was published.
   */
  List<String> assertSealedReleasesIntact() throws Exception {
    List<String> versions = new ArrayList<>();
    for (String key : keys("_cdnpub/chatleo/versions/")) {
      JsonNode manifest = JSON.readTree(object(key));
      String version = manifest.get("version").asText();
      versions.add(version);
      Map<String, String> listed = new TreeMap<>();
      for (JsonNode f : manifest.get("files")) {
        byte[] stored = object(f.get("key").asText());
        assertEquals(f.get("size").asLong(), stored.length, f.get("key").asText());
        assertEquals(
            f.get("sha256").asText(),
            sha256(stored),
            "stored " + f.get("key").asText() + " is not the sealed content");
        listed.put(f.get("path").asText(), f.get("sha256").asText());
      }
      Map<String, String> local = new TreeMap<>();
      Path dir = dist(version);
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          local.put(dir.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
        }
      }
      assertEquals(local, listed, "manifest of " + version + " against its folder");
    }
    return versions;
  }

  /** The newest logged value of every alias, read straight from S3Proxy. */
  Map<String, String> aliasLog() throws Exception {
    Map<String, String> newest = new TreeMap<>();
    for (String key : keys("_cdnpub/chatleo/aliases/")) {
      if (key.endsWith(".json")) {
        String alias = key.split("/")[3];
        newest.put(
            alias, JSON.readTree(object(key)).get("to").asText()); // keys list in sequence order
      }
    }
    return newest;
  }

  /** KV (what the mock received last, per key) holds the newest logged value of every alias. */
  void assertKvMatchesLog() throws Exception {
    Map<String, String> log = aliasLog();
    Map<String, String> inKv = new TreeMap<>();
    for (String alias : log.keySet()) {
      inKv.put(alias, kv.lastPut("chatleo%2F" + alias.replace("/", "%2F")));
    }
    assertEquals(log, inKv, "KV against the alias log");
  }

  /** A fault on every request of one kind. */
  record Storm(Wire wire, Target target) {
    @Override
    public String toString() {
      return wire + " on " + target;
    }
  }

  // ---------------------------------------------------------------- publish

  @ParameterizedTest
  @EnumSource(Wire.class)
  void publish_aBlipAtEveryStep_isRiddenOut(Wire wire) throws Exception {
    List<Target> targets =
        wire == Wire.STALL
            ? List.of(Target.FILES, Target.KV_PUT) // each stall costs a timeout
            : List.of(
                Target.KV_GET,
                Target.CLAIM,
                Target.FILES,
                Target.MANIFEST,
                Target.ALIAS_LOG,
                Target.KV_PUT);
    List<Rule> rules = targets.stream().map(t -> blip(wire, t)).toList();

    CliRun run = publish("1.0.0");

    assertOk(run, wire + " once at each step");
    for (int i = 0; i < targets.size(); i++) {
      assertEquals(1, rules.get(i).fired(), wire + " on " + targets.get(i) + " fired");
    }
    assertEquals(List.of("1.0.0"), assertSealedReleasesIntact());
    assertEquals(Map.of("latest", "1.0.0", "v1", "1.0.0", "v1.0", "1.0.0"), aliasLog());
    assertKvMatchesLog();
  }

  /**
   * Answers lost on the wire (the store kept the object, the reset hid it, the SDK's retry met it):
   * such files were stored by this run and are counted so, never as "already there from an earlier
   * run"; a lost claim answer does not make the run a resume.
   */
  @Test
  void publish_answersLostOnTheWire_areCountedAsThisRunsUploads() throws Exception {
    Rule claim = fault(Wire.ANSWER_LOST, Target.CLAIM, 1);
    // One lost answer for each of two files: a rule per key, so that a retry never meets a fault.
    List<Rule> files =
        List.of("loader.js", "chunks/chunk-1.js").stream()
            .map(
                f ->
                    r2.add(
                        Rule.on("PUT", Pattern.quote("/" + bucket + "/v1.0.0/chatleo/" + f))
                            .times(1)
                            .resetAfter()))
            .toList();

    CliRun run = cdnpub("publish", dist("1.0.0").toString(), "--version", "1.0.0", "--json");

    assertOk(run, "lost answers");
    assertEquals(1, claim.fired());
    assertEquals(2, files.stream().mapToInt(Rule::fired).sum());
    JsonNode json = JSON.readTree(run.out);
    assertEquals(3, json.get("uploaded").asInt(), run.out);
    assertEquals(2, json.get("confirmedAfterLostAnswer").asInt(), run.out);
    assertEquals(0, json.get("alreadyPresent").asInt(), run.out);
    assertEquals(List.of("1.0.0"), assertSealedReleasesIntact());
    assertEquals(
        Map.of("latest", "1.0.0", "v1", "1.0.0", "v1.0", "1.0.0"),
        aliasLog(),
        "a first run moves the aliases");

    fault(Wire.ANSWER_LOST, Target.FILES, 1);
    CliRun human = publish("1.0.1");
    assertOk(human, "lost answer, human output");
    assertTrue(
        human.out.contains(": 3 uploaded (")
            && human.out.contains(
                ", 1 of them confirmed after their answer was lost), 0 already there from an earlier run."),
        human.out);
  }

  /**
   * A store (here: S3Proxy behind a proxy that drops the header) that ignores If-None-Match would
   * let racing publishers overwrite each other. The claim's second create proves it before any file
   * is written: exit 2, only the claim is stored, and the same publish seals once the store honours
   * create-only writes.
   */
  @Test
  void publish_storeThatIgnoresIfNoneMatch_isRefusedBeforeAnyFile() throws Exception {
    try (S3ProxyServer unsigned = new S3ProxyServer(false);
        FaultProxy strip = new FaultProxy(unsigned.endpoint())) {
      String b = unsigned.newBucket();
      Map<String, String> e = unsigned.r2Env(b);
      e.put("CDNPUB_R2_ENDPOINT", strip.endpoint().toString());
      Rule rule = strip.add(Rule.on("PUT", ".*").stripHeader("If-None-Match"));
      String[] args = {
        "publish",
        dist("1.0.0").toString(),
        "--version",
        "1.0.0",
        "--library",
        "chatleo",
        "--no-aliases"
      };

      CliRun run = CliRun.run(work, e, ShortTimeouts.stores(), ShortTimeouts.apis(waits), args);

      assertEquals(2, run.exitCode, run.toString());
      assertTrue(run.err.contains("ignores If-None-Match: *"), run.err);
      assertEquals(1, run.err.lines().count(), run.err);
      assertEquals(3, rule.fired(), "the claim, and the probe created twice");
      try (S3Client c = unsigned.client()) {
        assertEquals(
            List.of("_cdnpub/chatleo/claims/1.0.0", "_cdnpub/probe"),
            c.listObjectsV2(r -> r.bucket(b)).contents().stream().map(o -> o.key()).toList(),
            "no file was written");
        strip.clearRules();
        CliRun fixed = CliRun.run(work, e, ShortTimeouts.stores(), ShortTimeouts.apis(waits), args);
        assertEquals(0, fixed.exitCode, fixed.toString());
        assertTrue(
            c.listObjectsV2(r -> r.bucket(b)).contents().stream()
                .anyMatch(o -> o.key().equals("_cdnpub/chatleo/versions/1.0.0.json")));
      }
    }
  }

  /**
   * Every step of a publish under a storm: the connection faults (reset before, answer lost) on
   * every step, since they leave different states behind (an answer lost means the write landed);
   * the error answers and the stall on some steps of each side, since the client handles them alike
   * wherever they come.
   */
  static Stream<Storm> publishStorms() {
    return Stream.of(
        new Storm(Wire.RESET_BEFORE, Target.KV_GET), // the preflight: nothing written
        new Storm(Wire.RESET_BEFORE, Target.CLAIM),
        new Storm(Wire.ANSWER_LOST, Target.CLAIM), // claimed, then exit 5: the re-run resumes
        new Storm(Wire.RESET_BEFORE, Target.FILES),
        new Storm(Wire.ANSWER_LOST, Target.FILES),
        new Storm(Wire.RESET_BEFORE, Target.MANIFEST),
        new Storm(
            Wire.ANSWER_LOST, Target.MANIFEST), // sealed, then exit 5: the re-run moves the aliases
        new Storm(Wire.RESET_BEFORE, Target.ALIAS_LOG),
        new Storm(Wire.ANSWER_LOST, Target.ALIAS_LOG),
        new Storm(Wire.RESET_BEFORE, Target.KV_PUT),
        new Storm(Wire.ANSWER_LOST, Target.KV_PUT),
        new Storm(Wire.SLOW_DOWN_503, Target.FILES),
        new Storm(Wire.ERROR_500, Target.MANIFEST),
        new Storm(Wire.TOO_MANY_429, Target.CLAIM),
        new Storm(Wire.ERROR_500, Target.KV_GET),
        new Storm(Wire.TOO_MANY_429, Target.KV_PUT),
        new Storm(Wire.STALL, Target.FILES),
        new Storm(Wire.STALL, Target.KV_PUT));
  }

  @ParameterizedTest
  @MethodSource("publishStorms")
  void publish_aStormAtOneStep_exits5_andARerunCompletes(Storm storm) throws Exception {
    Rule rule = storm(storm.wire(), storm.target());
    CliRun failed = publish("1.0.0");
    assertTrue(rule.fired() > 0, storm.toString());
    assertRemoteFailure(failed, storm.toString());
    assertSealedReleasesIntact();

    noFaults();
    assertOk(publish("1.0.0"), "re-run after " + storm);
    assertEquals(List.of("1.0.0"), assertSealedReleasesIntact());
    assertEquals(
        Map.of("latest", "1.0.0", "v1", "1.0.0", "v1.0", "1.0.0"), aliasLog(), storm.toString());
    assertKvMatchesLog();
  }

  @Test
  void publish_a429WithRetryAfter_announcesTheWaitOnStderr_withoutTheToken() throws Exception {
    blip(Wire.TOO_MANY_429, Target.KV_PUT);
    CliRun run = publish("1.0.0");
    assertOk(run, "429 once");
    // The three aliases are written to KV at the same time: whichever write came first met the 429.
    assertTrue(
        run.err
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "cdnpub: Cloudflare API answered 429 \\(write Workers KV key 'chatleo/(latest|v1|v1\\.0)'\\);"
                            + " retrying in 12 s \\(attempt 2 of 4\\)")),
        run.err);
    assertEquals(List.of(Duration.ofSeconds(12)), waits);
  }

  // ---------------------------------------------------------------- alias commands

  /** Two releases, aliases on 1.0.1. */
  void twoReleases() throws Exception {
    assertOk(publish("1.0.0"), "setup");
    assertOk(publish("1.0.1"), "setup");
    assertEquals("1.0.1", aliasLog().get("v1"));
  }

  @Test
  void aliasSet_ridesOutEveryFaultOnce_andIsRepairedByARerun() throws Exception {
    twoReleases();
    String to = "1.0.1";
    for (Wire wire : Wire.values()) {
      to = to.equals("1.0.0") ? "1.0.1" : "1.0.0";
      blip(wire, Target.ALIAS_LOG);
      blip(wire, Target.KV_PUT);
      assertOk(cdnpub("alias", "set", "v1", to), wire + " once on the log and on KV");
      assertEquals(to, aliasLog().get("v1"));
      assertKvMatchesLog();
      noFaults();
    }
    for (Storm storm :
        List.of(
            new Storm(Wire.ANSWER_LOST, Target.ALIAS_LOG),
            new Storm(Wire.ERROR_500, Target.ALIAS_LOG),
            new Storm(Wire.RESET_BEFORE, Target.KV_PUT),
            new Storm(Wire.TOO_MANY_429, Target.KV_PUT))) {
      to = to.equals("1.0.0") ? "1.0.1" : "1.0.0";
      storm(storm.wire(), storm.target());
      assertRemoteFailure(cdnpub("alias", "set", "v1", to), storm.toString());
      noFaults();
      assertOk(cdnpub("alias", "set", "v1", to), "re-run after " + storm);
      assertEquals(to, aliasLog().get("v1"));
      assertKvMatchesLog();
    }
    assertSealedReleasesIntact();
  }

  @Test
  void rollback_ridesOutEveryFaultOnce_andAfterAStormSaysHowToRepairWithoutRollingBackTwice()
      throws Exception {
    twoReleases();
    for (Wire wire : Wire.values()) {
      assertOk(cdnpub("alias", "set", "v1", "1.0.1"), "setup");
      blip(wire, Target.ALIAS_LOG);
      blip(wire, Target.KV_PUT);
      assertOk(cdnpub("rollback", "v1"), wire + " once on the log and on KV");
      assertEquals("1.0.0", aliasLog().get("v1"));
      assertKvMatchesLog();
      noFaults();
    }
    for (Storm storm :
        List.of(
            new Storm(Wire.RESET_BEFORE, Target.ALIAS_LOG),
            new Storm(Wire.ANSWER_LOST, Target.ALIAS_LOG),
            new Storm(Wire.SLOW_DOWN_503, Target.KV_PUT),
            new Storm(Wire.ANSWER_LOST, Target.KV_PUT))) {
      assertOk(cdnpub("alias", "set", "v1", "1.0.1"), "setup");
      storm(storm.wire(), storm.target());
      CliRun failed = cdnpub("rollback", "v1");
      assertRemoteFailure(failed, storm.toString());
      noFaults();
      assertTrue(failed.err.contains("cdnpub alias sync"), failed.toString());
      assertFalse(
          failed.err.contains("re-run this command"), "a re-run would roll back twice\n" + failed);
      if (storm.target() == Target.ALIAS_LOG) {
        assertTrue(
            failed.err.contains("check 'cdnpub alias history v1' before rolling back again"),
            failed.toString());
      }
      // As the message says: look at the history, then roll back only if it is not recorded.
      boolean recorded = "1.0.0".equals(aliasLog().get("v1"));
      assertEquals(
          storm.wire() == Wire.ANSWER_LOST || storm.target() == Target.KV_PUT,
          recorded,
          storm.toString());
      assertOk(
          recorded ? cdnpub("alias", "sync") : cdnpub("rollback", "v1"), "repair after " + storm);
      assertEquals("1.0.0", aliasLog().get("v1"), storm + ": rolled back exactly once");
      assertKvMatchesLog();
    }
    assertSealedReleasesIntact();
  }

  @Test
  void yank_ridesOutEveryFaultOnce_andIsRepairedByARerun() throws Exception {
    assertOk(publish("1.0.0"), "setup");
    int patch = 0;
    for (Wire wire : Wire.values()) {
      String version = "1.0." + ++patch;
      assertOk(publish(version), "setup");
      blip(wire, Target.YANK_RECORD);
      blip(wire, Target.ALIAS_LOG);
      blip(wire, Target.KV_PUT);
      assertOk(
          cdnpub("yank", version, "--reason", "broken"),
          wire + " once on the record, the log and KV");
      assertEquals(1, keys("_cdnpub/chatleo/yanked/" + version).size());
      assertFalse(aliasLog().containsValue(version), "no alias on a yanked version");
      assertKvMatchesLog();
      noFaults();
    }
    for (Storm storm :
        List.of(
            new Storm(Wire.RESET_BEFORE, Target.YANK_RECORD),
            new Storm(Wire.ANSWER_LOST, Target.YANK_RECORD),
            new Storm(Wire.ANSWER_LOST, Target.ALIAS_LOG),
            new Storm(Wire.ERROR_500, Target.KV_PUT))) {
      String version = "1.0." + ++patch;
      assertOk(publish(version), "setup");
      storm(storm.wire(), storm.target());
      assertRemoteFailure(cdnpub("yank", version, "--reason", "broken"), storm.toString());
      noFaults();
      assertOk(cdnpub("yank", version, "--reason", "broken"), "re-run after " + storm);
      assertFalse(aliasLog().containsValue(version), "no alias on a yanked version");
      assertKvMatchesLog();
    }
    assertSealedReleasesIntact();
  }

  @Test
  void aliasSync_ridesOutEveryFaultOnce_andIsRepairedByARerun() throws Exception {
    twoReleases();
    for (Wire wire : Wire.values()) {
      kv.reset(); // KV forgot everything: only a sync brings it back
      blip(wire, Target.KV_PUT);
      assertOk(cdnpub("alias", "sync"), wire + " once");
      assertKvMatchesLog();
      noFaults();
    }
    for (Wire wire : List.of(Wire.RESET_BEFORE, Wire.ANSWER_LOST, Wire.TOO_MANY_429)) {
      kv.reset();
      storm(wire, Target.KV_PUT);
      assertRemoteFailure(cdnpub("alias", "sync"), wire + " storm");
      noFaults();
      assertOk(cdnpub("alias", "sync"), "re-run after " + wire);
      assertKvMatchesLog();
    }
  }

  @Test
  void aliasReads_rideOutEveryFaultOnce_andExit5UnderAStorm() throws Exception {
    twoReleases();
    assertOk(cdnpub("alias", "set", "v1", "1.0.0"), "setup");
    List<String[]> commands =
        List.of(
            new String[] {"alias", "get", "v1"},
            new String[] {"alias", "list"},
            new String[] {"alias", "history", "v1"});
    List<String> expected = commands.stream().map(c -> cdnpub(c).out).toList();
    assertEquals("1.0.0\n", expected.get(0));
    for (Wire wire : Wire.values()) {
      int i = wire.ordinal() % commands.size();
      blip(wire, Target.S3_READS);
      CliRun once = cdnpub(commands.get(i));
      assertOk(once, wire + " once on " + String.join(" ", commands.get(i)));
      assertEquals(expected.get(i), once.out);
      noFaults();
    }
    List<Wire> storms = List.of(Wire.RESET_BEFORE, Wire.SLOW_DOWN_503, Wire.ANSWER_LOST);
    for (int i = 0; i < commands.size(); i++) {
      storm(storms.get(i), Target.S3_READS);
      assertRemoteFailure(
          cdnpub(commands.get(i)),
          storms.get(i) + " storm on " + String.join(" ", commands.get(i)));
      noFaults();
      assertEquals(expected.get(i), cdnpub(commands.get(i)).out, "re-run after " + storms.get(i));
    }
  }
}
