package dev.cdnpub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsResolverTest {
  @TempDir Path dir;

  private Settings resolve(Map<String, String> env, SettingsResolver.Flags flags) {
    return new SettingsResolver(env, dir).resolve(flags);
  }

  @Test
  void library_precedenceIsFlagThenEnvThenConfigThenPackageJson() throws Exception {
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"@acme/from-package\"}");
    assertEquals("from-package", resolve(Map.of(), SettingsResolver.Flags.none()).library());
    Files.writeString(dir.resolve("cdnpub.json"), "{\"library\":\"from-config\"}");
    assertEquals("from-config", resolve(Map.of(), SettingsResolver.Flags.none()).library());
    assertEquals(
        "from-env",
        resolve(Map.of("CDNPUB_LIBRARY", "from-env"), SettingsResolver.Flags.none()).library());
    assertEquals(
        "from-flag",
        resolve(
                Map.of("CDNPUB_LIBRARY", "from-env"),
                new SettingsResolver.Flags(null, null, null, "from-flag"))
            .library());
  }

  @Test
  void library_invalidFromAnySource_isUsageError() throws Exception {
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"Bad Name\"}");
    CdnpubException e =
        assertThrows(CdnpubException.class, () -> resolve(Map.of(), SettingsResolver.Flags.none()));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("package.json"), e.getMessage());
  }

  @Test
  void library_missingEverywhere_isUsageErrorOnUse() {
    Settings s = resolve(Map.of(), SettingsResolver.Flags.none());
    assertEquals(ExitCode.USAGE, assertThrows(CdnpubException.class, s::library).exitCode());
  }

  @Test
  void target_defaultsToLocalAndIsNotExplicit() {
    Settings s = resolve(Map.of(), SettingsResolver.Flags.none());
    assertEquals(TargetKind.LOCAL, s.target());
    assertFalse(s.targetExplicit());
    assertEquals(dir.resolve(".cdnpub"), s.localDir());
  }

  @Test
  void target_isExplicitFromFlagEnvConfigOrR2Settings() throws Exception {
    assertTrue(
        resolve(Map.of(), new SettingsResolver.Flags(null, "local", null, null)).targetExplicit());
    assertEquals(
        TargetKind.R2,
        resolve(Map.of("CDNPUB_TARGET", "r2"), SettingsResolver.Flags.none()).target());
    assertEquals(
        TargetKind.R2,
        resolve(Map.of("CDNPUB_R2_BUCKET", "b"), SettingsResolver.Flags.none()).target());
    assertTrue(
        resolve(Map.of(), new SettingsResolver.Flags(null, null, "store", null)).targetExplicit());
    Files.writeString(
        dir.resolve("cdnpub.json"), "{\"r2\":{\"bucket\":\"b\",\"accountId\":\"abc123\"}}");
    Settings s = resolve(Map.of(), SettingsResolver.Flags.none());
    assertEquals(TargetKind.R2, s.target());
    assertEquals(
        new R2Settings("abc123", "b", URI.create("https://abc123.r2.cloudflarestorage.com")),
        s.r2());
    // the flag beats the config file
    assertEquals(
        TargetKind.LOCAL,
        resolve(Map.of(), new SettingsResolver.Flags(null, "local", null, null)).target());
  }

  @Test
  void target_unknownName_isUsageError() {
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () -> resolve(Map.of("CDNPUB_TARGET", "s3"), SettingsResolver.Flags.none()))
            .exitCode());
  }

  @Test
  void r2_endpointFromEnvBeatsConfigAndDefault() throws Exception {
    Files.writeString(
        dir.resolve("cdnpub.json"),
        "{\"r2\":{\"bucket\":\"b\",\"accountId\":\"abc\",\"endpoint\":\"https://config.example\"}}");
    assertEquals(
        URI.create("https://config.example"),
        resolve(Map.of(), SettingsResolver.Flags.none()).r2().endpoint());
    assertEquals(
        URI.create("http://127.0.0.1:9000"),
        resolve(
                Map.of("CDNPUB_R2_ENDPOINT", "http://127.0.0.1:9000"),
                SettingsResolver.Flags.none())
            .r2()
            .endpoint());
  }

  @Test
  void r2_missingSettings_namesEachOne() {
    Settings s = resolve(Map.of("CDNPUB_TARGET", "r2"), SettingsResolver.Flags.none());
    CdnpubException e = assertThrows(CdnpubException.class, s::r2);
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(
        e.getMessage().contains("CDNPUB_R2_BUCKET")
            && e.getMessage().contains("CLOUDFLARE_ACCOUNT_ID"),
        e.getMessage());
  }

  @Test
  void credentials_r2VariablesFirstThenAws() {
    Settings both =
        resolve(
            Map.of(
                "R2_ACCESS_KEY_ID",
                "r2id",
                "R2_SECRET_ACCESS_KEY",
                "r2secret",
                "AWS_ACCESS_KEY_ID",
                "awsid",
                "AWS_SECRET_ACCESS_KEY",
                "awssecret"),
            SettingsResolver.Flags.none());
    assertEquals("r2id", both.r2Credentials().accessKeyId());
    Settings aws =
        resolve(
            Map.of("AWS_ACCESS_KEY_ID", "awsid", "AWS_SECRET_ACCESS_KEY", "awssecret"),
            SettingsResolver.Flags.none());
    assertEquals("awssecret", aws.r2Credentials().secretAccessKey());
    assertFalse(both.r2Credentials().toString().contains("r2secret"));
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () ->
                    resolve(Map.of("R2_ACCESS_KEY_ID", "only-id"), SettingsResolver.Flags.none())
                        .r2Credentials())
            .exitCode());
  }

  @Test
  void configFile_withSecretField_isRefused() throws Exception {
    Files.writeString(
        dir.resolve("cdnpub.json"),
        "{\"r2\":{\"bucket\":\"b\",\"secretAccessKey\":\"s3cr3t-value\"}}");
    CdnpubException e =
        assertThrows(CdnpubException.class, () -> resolve(Map.of(), SettingsResolver.Flags.none()));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("r2.secretAccessKey"));
    assertFalse(e.getMessage().contains("s3cr3t-value"));
  }

  @Test
  void configFile_explicitButMissingOrInvalid_isUsageError() throws Exception {
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () -> resolve(Map.of(), new SettingsResolver.Flags("nope.json", null, null, null)))
            .exitCode());
    Files.writeString(dir.resolve("cdnpub.json"), "{not json");
    assertEquals(
        ExitCode.USAGE,
        assertThrows(CdnpubException.class, () -> resolve(Map.of(), SettingsResolver.Flags.none()))
            .exitCode());
  }

  @Test
  void actor_flagThenGithubActorThenUserName() {
    Settings s =
        resolve(Map.of("GITHUB_ACTOR", "octocat", "USER", "ana"), SettingsResolver.Flags.none());
    assertEquals("bot", s.actor("bot"));
    assertEquals("octocat", s.actor(null));
    assertEquals("ana", resolve(Map.of("USER", "ana"), SettingsResolver.Flags.none()).actor(null));
    assertEquals("unknown", resolve(Map.of(), SettingsResolver.Flags.none()).actor(null));
  }

  @Test
  void everySetting_isTrimmedAndBlankIsUnset_whetherFlagEnvironmentOrConfig() throws Exception {
    SettingsResolver.Flags none = SettingsResolver.Flags.none();
    assertEquals("chatleo", resolve(Map.of("CDNPUB_LIBRARY", "chatleo "), none).library());
    assertEquals(
        "chatleo",
        resolve(Map.of(), new SettingsResolver.Flags(null, null, null, "\tchatleo ")).library());
    // a blank flag or variable is not given: the next source counts
    assertEquals(
        "from-env",
        resolve(
                Map.of("CDNPUB_LIBRARY", " from-env"),
                new SettingsResolver.Flags(null, null, null, "  "))
            .library());
    assertEquals(
        TargetKind.R2,
        resolve(Map.of("CDNPUB_TARGET", " r2\n"), new SettingsResolver.Flags(null, " ", null, null))
            .target());
    assertEquals(
        dir.resolve("store"), resolve(Map.of("CDNPUB_LOCAL_DIR", " store "), none).localDir());
    assertEquals(
        dir.resolve("flagged"),
        resolve(Map.of(), new SettingsResolver.Flags(null, null, "flagged ", null)).localDir());
    assertFalse(resolve(Map.of("CDNPUB_LOCAL_DIR", "   "), none).targetExplicit());
    assertEquals(
        dir.resolve(".cdnpub"), resolve(Map.of("CDNPUB_LOCAL_DIR", "   "), none).localDir());
    Settings r2 =
        resolve(Map.of("CDNPUB_R2_BUCKET", " b ", "CLOUDFLARE_ACCOUNT_ID", "abc123 "), none);
    assertEquals(
        new R2Settings("abc123", "b", URI.create("https://abc123.r2.cloudflarestorage.com")),
        r2.r2());
    assertEquals(
        "id",
        resolve(Map.of("R2_ACCESS_KEY_ID", " id ", "R2_SECRET_ACCESS_KEY", "secret "), none)
            .r2Credentials()
            .accessKeyId());

    Files.writeString(
        dir.resolve("cdnpub.json"),
        "{\"library\":\" from-config \",\"target\":\" r2 \","
            + "\"r2\":{\"bucket\":\" cb \",\"endpoint\":\" http://127.0.0.1:9000 \"},\"local\":{\"dir\":\" \"}}");
    Settings fromConfig = resolve(Map.of("CDNPUB_R2_BUCKET", "  "), none);
    assertEquals("from-config", fromConfig.library());
    assertEquals(TargetKind.R2, fromConfig.target());
    assertEquals(
        "cb", fromConfig.r2().bucket(), "a blank variable falls through to the config file");
    assertEquals(URI.create("http://127.0.0.1:9000"), fromConfig.r2().endpoint());
    assertEquals(dir.resolve(".cdnpub"), fromConfig.localDir(), "a blank local.dir is the default");
  }

  @Test
  void requirePublish_namesEverythingMissingForR2InOneMessage() {
    Settings s = resolve(Map.of("CDNPUB_TARGET", "r2"), SettingsResolver.Flags.none());
    CdnpubException dry = assertThrows(CdnpubException.class, () -> s.requirePublish(true, false));
    assertEquals(ExitCode.USAGE, dry.exitCode());
    for (String name :
        List.of(
            "a library name",
            "CDNPUB_R2_BUCKET",
            "CLOUDFLARE_ACCOUNT_ID",
            "CDNPUB_KV_NAMESPACE_ID",
            "--no-aliases")) {
      assertTrue(dry.getMessage().contains(name), name + ": " + dry.getMessage());
    }
    assertFalse(
        dry.getMessage().contains("R2_ACCESS_KEY_ID"),
        "a dry run needs no secrets: " + dry.getMessage());
    assertFalse(dry.getMessage().contains("CLOUDFLARE_API_TOKEN"), dry.getMessage());
    assertEquals(
        1,
        dry.getMessage().split("CLOUDFLARE_ACCOUNT_ID", -1).length - 1,
        "the account is named once: " + dry.getMessage());
    assertEquals(
        List.of("R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "CLOUDFLARE_API_TOKEN"),
        s.missingSecrets(true));

    String real =
        assertThrows(CdnpubException.class, () -> s.requirePublish(true, true)).getMessage();
    for (String name :
        List.of(
            "CDNPUB_R2_BUCKET",
            "CLOUDFLARE_ACCOUNT_ID",
            "CDNPUB_KV_NAMESPACE_ID",
            "R2_ACCESS_KEY_ID",
            "CLOUDFLARE_API_TOKEN")) {
      assertTrue(real.contains(name), name + ": " + real);
    }
    String noAliases =
        assertThrows(CdnpubException.class, () -> s.requirePublish(false, true)).getMessage();
    assertFalse(
        noAliases.contains("CDNPUB_KV_NAMESPACE_ID") || noAliases.contains("--no-aliases"),
        noAliases);
    assertEquals(List.of("R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"), s.missingSecrets(false));
    assertEquals(
        List.of("R2_SECRET_ACCESS_KEY"),
        resolve(
                Map.of("CDNPUB_TARGET", "r2", "R2_ACCESS_KEY_ID", "id"),
                SettingsResolver.Flags.none())
            .missingSecrets(false));

    // with an endpoint, R2 needs no account, but the aliases still do
    Settings endpoint =
        resolve(
            Map.of(
                "CDNPUB_TARGET",
                "r2",
                "CDNPUB_R2_BUCKET",
                "b",
                "CDNPUB_R2_ENDPOINT",
                "http://127.0.0.1:9",
                "CDNPUB_KV_NAMESPACE_ID",
                "ns1",
                "CDNPUB_LIBRARY",
                "x"),
            SettingsResolver.Flags.none());
    endpoint.requirePublish(false, false);
    String kv =
        assertThrows(CdnpubException.class, () -> endpoint.requirePublish(true, false))
            .getMessage();
    assertTrue(kv.contains("CLOUDFLARE_ACCOUNT_ID") && !kv.contains("CDNPUB_R2_BUCKET"), kv);
  }

  @Test
  void urlWithUserInfo_isRefusedWithoutQuotingIt() {
    for (String url :
        List.of(
            "http://AKIDUSERINFO:pa%2Fss-w0rd@127.0.0.1:9000",
            "https://AKIDUSERINFO@host.example",
            "http://AKIDUSERINFO:pa%2Fss-w0rd@under_score:9000",
            "http://AKIDUSERINFO:pa ss-w0rd@127.0.0.1:9000")) {
      Settings r2 =
          resolve(
              Map.of("CDNPUB_TARGET", "r2", "CDNPUB_R2_BUCKET", "b", "CDNPUB_R2_ENDPOINT", url),
              SettingsResolver.Flags.none());
      String message = assertThrows(CdnpubException.class, r2::r2).getMessage();
      assertTrue(message.startsWith("CDNPUB_R2_ENDPOINT "), message);
      for (String part : List.of("AKIDUSERINFO", "pa%2Fss-w0rd", "pa/ss-w0rd", "pa ss-w0rd")) {
        assertFalse(message.contains(part), url + ": " + message);
      }
      Settings kv =
          resolve(
              Map.of(
                  "CDNPUB_TARGET",
                  "r2",
                  "CLOUDFLARE_ACCOUNT_ID",
                  "abc",
                  "CDNPUB_KV_NAMESPACE_ID",
                  "ns",
                  "CLOUDFLARE_API_TOKEN",
                  "token-value",
                  "CDNPUB_CLOUDFLARE_API",
                  url),
              SettingsResolver.Flags.none());
      String kvMessage = assertThrows(CdnpubException.class, kv::kv).getMessage();
      assertTrue(kvMessage.startsWith("CDNPUB_CLOUDFLARE_API "), kvMessage);
      assertFalse(kvMessage.contains("AKIDUSERINFO") || kvMessage.contains("w0rd"), kvMessage);
    }
  }

  @Test
  void localStore_thatIsAFileOrUnderAFile_isUsageError_andAMissingOneIsNotFound() throws Exception {
    Files.writeString(dir.resolve("file"), "x");
    for (String local : List.of("file", "file/store")) {
      Settings s = resolve(Map.of("CDNPUB_LOCAL_DIR", local), SettingsResolver.Flags.none());
      CdnpubException e = assertThrows(CdnpubException.class, () -> s.checkLocalStore());
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("(from CDNPUB_LOCAL_DIR)"), e.getMessage());
      assertEquals(
          ExitCode.USAGE,
          assertThrows(CdnpubException.class, () -> s.requirePublish(true, true)).exitCode());
    }
    Settings missing =
        resolve(
            Map.of("CDNPUB_LOCAL_DIR", "nowhere/store", "CDNPUB_LIBRARY", "chatleo"),
            SettingsResolver.Flags.none());
    missing.requirePublish(false, false); // a publish creates it
    CdnpubException read = assertThrows(CdnpubException.class, missing::checkLocalStore);
    assertEquals(ExitCode.NOT_FOUND, read.exitCode());
    assertTrue(read.getMessage().contains("does not exist"), read.getMessage());
    Files.createDirectories(dir.resolve("nowhere/store"));
    missing.checkLocalStore();
  }
}
