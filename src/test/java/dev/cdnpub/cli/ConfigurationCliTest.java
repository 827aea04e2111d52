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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bad settings end to end: one sentence on stderr, exit 2 (4 for a store that is not there),
 * nothing changed.
 */
class ConfigurationCliTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  @TempDir Path work;

  private CliRun publish(Map<String, String> env, String... extra) {
    TestFiles.library(work.resolve("dist"), "one", 2);
    List<String> args =
        new ArrayList<>(List.of("publish", "dist", "--version", "1.0.0", "--library", "chatleo"));
    args.addAll(List.of(extra));
    return CliRun.run(work, env, args.toArray(String[]::new));
  }

  /** Every file below the working folder except the library being published. */
  private List<String> filesWritten() throws Exception {
    try (Stream<Path> walk = Files.walk(work)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> work.relativize(p).toString())
          .filter(p -> !p.startsWith("dist"))
          .sorted()
          .toList();
    }
  }

  private static void assertOneSentence(CliRun run, int code) {
    assertEquals(code, run.exitCode, run.toString());
    assertEquals(1, run.err.lines().count(), "one sentence: " + run);
    assertTrue(run.err.startsWith("cdnpub: "), run.err);
    assertFalse(run.err.contains("Exception"), run.err);
  }

  @Test
  void configFile_unknownKeyOrWrongType_exits2NamingTheKeyAndChangesNothing() throws Exception {
    Map<String, String> cases =
        Map.of(
            "{\"libary\":\"chatleo\"}", "unknown key 'libary'; did you mean 'library'?",
            "{\"r2\":{\"bucekt\":\"my-bucket\"}}",
                "unknown key 'r2.bucekt'; did you mean 'r2.bucket'?",
            "{\"r2\":\"my-bucket\"}",
                "'r2' must be an object with the keys accountId, bucket, endpoint, not a string.",
            "{\"worker\":{\"vars\":{\"ALIAS_BROWSER_TTL\":true}}}",
                "'worker.vars.ALIAS_BROWSER_TTL' must be a whole number, not a boolean.");
    for (var c : cases.entrySet()) {
      Files.writeString(work.resolve("cdnpub.json"), c.getKey());
      for (String[] command : List.of(new String[] {"versions"}, new String[] {"alias", "list"})) {
        CliRun run = CliRun.run(work, Map.of(), command);
        assertOneSentence(run, 2);
        assertTrue(run.err.contains(c.getValue()), run.err);
      }
      CliRun run = publish(Map.of());
      assertOneSentence(run, 2);
      assertTrue(run.err.contains(c.getValue()), run.err);
    }
    assertEquals(List.of("cdnpub.json"), filesWritten());
  }

  @Test
  void libraryWithSurroundingSpace_isTrimmedLikeEveryOtherSetting() throws Exception {
    TestFiles.library(work.resolve("dist"), "one", 2);
    CliRun run =
        CliRun.run(
            work,
            Map.of("CDNPUB_LOCAL_DIR", " store "),
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo ");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(
        Files.exists(work.resolve("store/objects/v1.0.0/chatleo/loader.js")), run.toString());
    TestFiles.library(work.resolve("dist2"), "two", 1);
    CliRun fromEnv =
        CliRun.run(
            work,
            Map.of("CDNPUB_LIBRARY", "chatleo ", "CDNPUB_TARGET", " local "),
            "publish",
            "dist2",
            "--version",
            "1.0.1",
            "--local-dir",
            "store");
    assertEquals(0, fromEnv.exitCode, fromEnv.toString());
    assertEquals(
        List.of("1.0.1", "1.0.0"),
        CliRun.run(work, Map.of("CDNPUB_LIBRARY", "\tchatleo"), "versions", "--local-dir", "store ")
            .firstColumn());
  }

  @Test
  void dryRun_r2WithoutSettings_exits2ListingEverythingMissingAtOnce() throws Exception {
    Files.writeString(work.resolve("cdnpub.json"), "{\"target\":\"r2\"}");
    CliRun run = publish(Map.of(), "--dry-run");
    assertOneSentence(run, 2);
    for (String name :
        List.of(
            "CDNPUB_R2_BUCKET",
            "CLOUDFLARE_ACCOUNT_ID",
            "CDNPUB_KV_NAMESPACE_ID",
            "--no-aliases")) {
      assertTrue(run.err.contains(name), name + ": " + run.err);
    }
    assertFalse(
        run.err.contains("R2_ACCESS_KEY_ID") || run.err.contains("CLOUDFLARE_API_TOKEN"),
        "a dry run needs no secrets: " + run.err);
    assertFalse(run.all().contains("bucket null"), run.toString());
    assertEquals("", run.out);

    CliRun noAliases = publish(Map.of(), "--dry-run", "--no-aliases");
    assertOneSentence(noAliases, 2);
    assertTrue(
        noAliases.err.contains("CDNPUB_R2_BUCKET")
            && noAliases.err.contains("CLOUDFLARE_ACCOUNT_ID"),
        noAliases.err);
    assertFalse(noAliases.err.contains("CDNPUB_KV_NAMESPACE_ID"), noAliases.err);
    assertEquals(List.of("cdnpub.json"), filesWritten());
  }

  @Test
  void dryRun_withoutSecrets_succeedsAndNamesTheSecretsTheRealPublishNeeds() throws Exception {
    Map<String, String> env =
        Map.of(
            "CDNPUB_TARGET",
            "r2",
            "CDNPUB_R2_BUCKET",
            "b",
            "CLOUDFLARE_ACCOUNT_ID",
            "abc123",
            "CDNPUB_KV_NAMESPACE_ID",
            "ns1");
    CliRun run = publish(env, "--dry-run");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.out.contains("target: R2 bucket b (from CDNPUB_TARGET)"), run.out);
    assertEquals(1, run.out.lines().filter(l -> l.startsWith("credentials: ")).count(), run.out);
    assertTrue(
        run.out.contains(
            "credentials: not set here; the real publish needs R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, CLOUDFLARE_API_TOKEN in the environment."),
        run.out);
    JsonNode json =
        new ObjectMapper().readTree(publish(env, "--dry-run", "--json", "--no-aliases").out);
    assertEquals(
        List.of("R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"),
        new ObjectMapper().convertValue(json.get("credentialsMissing"), List.class));
    Map<String, String> withSecrets = new HashMap<>(env);
    withSecrets.putAll(
        Map.of(
            "R2_ACCESS_KEY_ID",
            "id-123456",
            "R2_SECRET_ACCESS_KEY",
            "secret-123456",
            "CLOUDFLARE_API_TOKEN",
            "token-123456"));
    assertFalse(publish(withSecrets, "--dry-run").out.contains("credentials:"));
  }

  @Test
  void realRun_reportsEveryMissingSettingInOneMessageBeforeAnyRequest() throws Exception {
    String bucket = s3.newBucket();
    Map<String, String> env = s3.r2Env(bucket);
    env.remove("R2_SECRET_ACCESS_KEY");
    CliRun run = publish(env);
    assertOneSentence(run, 2);
    for (String name :
        List.of(
            "R2_ACCESS_KEY_ID",
            "CLOUDFLARE_ACCOUNT_ID",
            "CDNPUB_KV_NAMESPACE_ID",
            "CLOUDFLARE_API_TOKEN")) {
      assertTrue(run.err.contains(name), name + ": " + run.err);
    }
    try (S3Client client = s3.client()) {
      assertEquals(
          0, client.listObjectsV2(b -> b.bucket(bucket)).keyCount(), "nothing was written");
    }
  }

  @Test
  void endpointWithUserInfo_exits2WithoutEverPrintingIt() throws Exception {
    List<String> leaks = List.of("AKIDUSERINFO", "pa%2Fss-w0rd", "pa/ss-w0rd");
    String url = "http://AKIDUSERINFO:pa%2Fss-w0rd@127.0.0.1:9000";
    Map<String, String> r2 =
        new HashMap<>(
            Map.of(
                "CDNPUB_TARGET",
                "r2",
                "CDNPUB_R2_BUCKET",
                "b",
                "CLOUDFLARE_ACCOUNT_ID",
                "abc123",
                "CDNPUB_KV_NAMESPACE_ID",
                "ns1",
                "R2_ACCESS_KEY_ID",
                "id-123456",
                "R2_SECRET_ACCESS_KEY",
                "secret-123456",
                "CLOUDFLARE_API_TOKEN",
                "token-123456"));
    Map<String, String> endpoint = new HashMap<>(r2);
    endpoint.put("CDNPUB_R2_ENDPOINT", url);
    Map<String, String> api = new HashMap<>(r2);
    api.put("CDNPUB_CLOUDFLARE_API", url);
    List<CliRun> runs = new ArrayList<>();
    for (String[] extra :
        List.of(
            new String[] {},
            new String[] {"--dry-run"},
            new String[] {"--json", "--verbose"},
            new String[] {"--dry-run", "--json", "--verbose"})) {
      runs.add(publish(endpoint, extra));
      runs.add(publish(api, extra));
    }
    runs.add(CliRun.run(work, endpoint, "versions", "--library", "chatleo", "--verbose", "--json"));
    runs.add(
        CliRun.run(
            work,
            api,
            "alias",
            "set",
            "latest",
            "1.0.0",
            "--library",
            "chatleo",
            "--verbose",
            "--json"));
    Files.writeString(work.resolve("cdnpub.json"), "{\"r2\":{\"endpoint\":\"" + url + "\"}}");
    Map<String, String> fromConfig = new HashMap<>(r2);
    runs.add(publish(fromConfig, "--json", "--verbose"));
    for (CliRun run : runs) {
      assertEquals(2, run.exitCode, run.toString());
      assertTrue(run.err.contains("holds a user name or password"), run.err);
      for (String leak : leaks) {
        assertFalse(run.all().contains(leak), leak + " printed: " + run);
      }
    }
    assertTrue(
        runs.get(runs.size() - 1)
            .err
            .contains("cdnpub.json (r2.endpoint) holds a user name or password"),
        runs.toString());
  }

  @Test
  void localDir_thatIsAFileOrUnderAFile_exits2WithOneSentence() throws Exception {
    Files.writeString(work.resolve("taken"), "x");
    for (String dir : List.of("taken", "taken/store")) {
      CliRun flag = publish(Map.of(), "--local-dir", dir);
      assertOneSentence(flag, 2);
      assertTrue(flag.err.contains(work.resolve(dir) + " (from --local-dir)"), flag.err);
      assertOneSentence(publish(Map.of("CDNPUB_LOCAL_DIR", dir), "--dry-run"), 2);
      assertOneSentence(
          CliRun.run(work, Map.of("CDNPUB_LOCAL_DIR", dir), "versions", "--library", "chatleo"), 2);
      assertOneSentence(
          CliRun.run(
              work,
              Map.of(),
              "alias",
              "set",
              "latest",
              "1.0.0",
              "--library",
              "chatleo",
              "--local-dir",
              dir),
          2);
      Files.writeString(work.resolve("cdnpub.json"), "{\"local\":{\"dir\":\"" + dir + "\"}}");
      CliRun config = publish(Map.of());
      assertOneSentence(config, 2);
      assertTrue(config.err.contains("(from cdnpub.json (local.dir))"), config.err);
      Files.delete(work.resolve("cdnpub.json"));
    }
    assertTrue(publish(Map.of(), "--local-dir", "taken").err.contains("is a file, not a folder"));
    assertTrue(
        publish(Map.of(), "--local-dir", "taken/store")
            .err
            .contains("cannot be created, because " + work.resolve("taken") + " is a file"));
    assertEquals("x", Files.readString(work.resolve("taken")));
    assertEquals(List.of("taken"), filesWritten());
  }

  @Test
  void aliasCommandOnR2_missingBucketAndCredentials_namesBothInOneSentence() {
    Map<String, String> env = Map.of("CDNPUB_TARGET", "r2", "CLOUDFLARE_ACCOUNT_ID", "abc123");
    CliRun run = CliRun.run(work, env, "alias", "get", "latest", "--library", "chatleo");
    assertOneSentence(run, 2);
    assertTrue(run.err.contains("CDNPUB_R2_BUCKET"), run.err);
    assertTrue(run.err.contains("R2_ACCESS_KEY_ID"), run.err);
  }

  @Test
  void everyCommandButPublish_onALocalStoreThatDoesNotExist_exit4NamingIt_whilePublishCreatesIt()
      throws Exception {
    String missing = work.resolve("nonexistent").toString();
    List<String[]> reads =
        List.of(
            new String[] {"versions"},
            new String[] {"show", "1.0.0"},
            new String[] {"verify", "1.0.0"},
            new String[] {"snippet", "1.0.0"},
            new String[] {"alias", "get", "latest"},
            new String[] {"alias", "list"},
            new String[] {"alias", "history", "latest"},
            new String[] {"alias", "sync"},
            new String[] {"worker", "export", "out"},
            new String[] {"worker", "deploy"},
            // write commands: not "chatleo has no alias v1" or "1.0.0 is not published"
            new String[] {"rollback", "v1"},
            new String[] {"yank", "1.0.0", "--reason", "x"},
            new String[] {"alias", "set", "v1", "1.0.0"},
            new String[] {"alias", "promote", "v1"});
    for (String[] read : reads) {
      List<String> args = new ArrayList<>(List.of(read));
      args.addAll(List.of("--library", "chatleo", "--local-dir", missing));
      CliRun run = CliRun.run(work, Map.of(), args.toArray(String[]::new));
      assertOneSentence(run, 4);
      assertTrue(
          run.err.contains("the local store " + missing + " (from --local-dir) does not exist"),
          run.err);
      assertFalse(run.err.contains("no published versions"), run.err);
      assertFalse(run.err.contains("has no alias") || run.err.contains("not published"), run.err);
    }
    assertFalse(Files.exists(work.resolve("nonexistent")), "reading created nothing");
    assertFalse(Files.exists(work.resolve("out")));
    assertEquals(0, publish(Map.of(), "--local-dir", missing).exitCode);
    CliRun versions =
        CliRun.run(work, Map.of(), "versions", "--library", "chatleo", "--local-dir", missing);
    assertEquals(0, versions.exitCode, versions.toString());
    assertEquals(List.of("1.0.0"), versions.firstColumn());
    // the default store too
    assertEquals(
        4,
        CliRun.run(work.resolve("nonexistent"), Map.of(), "versions", "--library", "x").exitCode);
  }
}
