package dev.cdnpub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cdnpub.json is bound strictly to ConfigSchema: unknown keys and wrong types are refused by name.
 */
class ConfigFileTest {
  @TempDir Path dir;

  private String refused(String json) throws Exception {
    Files.writeString(dir.resolve("cdnpub.json"), json);
    CdnpubException e = assertThrows(CdnpubException.class, () -> ConfigFile.load(null, dir));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void unknownKey_isRefusedWithItsDottedPathAndTheNearMiss() throws Exception {
    assertTrue(
        refused("{\"libary\":\"chatleo\"}")
            .endsWith("has an unknown key 'libary'; did you mean 'library'?"));
    assertTrue(
        refused("{\"r2\":{\"bucekt\":\"b\"}}")
            .endsWith("has an unknown key 'r2.bucekt'; did you mean 'r2.bucket'?"));
    assertTrue(
        refused("{\"worker\":{\"vars\":{\"ALIAS_BROWSR_TTL\":5}}}")
            .endsWith(
                "unknown key 'worker.vars.ALIAS_BROWSR_TTL'; did you mean 'worker.vars.ALIAS_BROWSER_TTL'?"));
    assertTrue(
        refused("{\"Library\":\"x\"}").endsWith("did you mean 'library'?"),
        "keys are case-sensitive");
    // a key in the wrong section
    assertTrue(
        refused("{\"bucket\":\"b\"}").endsWith("unknown key 'bucket'; did you mean 'r2.bucket'?"));
    // nothing close: the keys that section has
    assertTrue(
        refused("{\"r2\":{\"region\":\"auto\"}}")
            .endsWith(
                "unknown key 'r2.region'; the keys of 'r2' are accountId, bucket, endpoint."));
    assertTrue(
        refused("{\"$schema\":\"x\"}")
            .contains(
                "the keys at the top level are target, library, publicUrl, entry, local, r2, kv, cloudflare, worker."));
  }

  @Test
  void wrongType_isRefusedNamingTheKeyAndTheExpectedType() throws Exception {
    String r2 = refused("{\"r2\":\"my-bucket\"}");
    assertTrue(
        r2.endsWith(
            ": 'r2' must be an object with the keys accountId, bucket, endpoint, not a string."),
        r2);
    assertFalse(r2.contains("my-bucket"), "values are not quoted: " + r2);
    assertTrue(
        refused("{\"worker\":{\"vars\":{\"ALIAS_BROWSER_TTL\":true}}}")
            .endsWith(": 'worker.vars.ALIAS_BROWSER_TTL' must be a whole number, not a boolean."));
    // no coercion between JSON types, either way
    assertTrue(
        refused("{\"worker\":{\"vars\":{\"ALIAS_BROWSER_TTL\":\"60\"}}}")
            .endsWith("must be a whole number, not a string."));
    assertTrue(
        refused("{\"worker\":{\"vars\":{\"KV_CACHE_TTL\":1.5}}}")
            .endsWith("must be a whole number, not a decimal number."));
    assertTrue(
        refused("{\"library\":5}").endsWith(": 'library' must be a string, not a whole number."));
    assertTrue(
        refused("{\"r2\":{\"bucket\":false}}")
            .endsWith(": 'r2.bucket' must be a string, not a boolean."));
    assertTrue(
        refused("{\"target\":[\"r2\"]}").endsWith(": 'target' must be a string, not an array."));
    assertTrue(
        refused("{\"local\":{\"dir\":{}}}")
            .endsWith(": 'local.dir' must be a string, not an object."));
  }

  @Test
  void notOneJsonObject_isRefused() throws Exception {
    assertTrue(
        refused("{\"library\":\"a\",\"library\":\"b\"}").contains("Duplicate field 'library'"));
    assertTrue(refused("{\"library\":\"a\"} {}").contains("is not valid JSON"), "trailing content");
    assertTrue(refused("[]").contains("must hold one JSON object"));
  }

  @Test
  void secretLookingKey_keepsItsOwnMessage_evenWhenTheSchemaDoesNotKnowIt() throws Exception {
    String message = refused("{\"r2\":{\"bucket\":\"b\",\"secretAccessKey\":\"s3cr3t-value\"}}");
    assertTrue(
        message.contains(
            "holds 'r2.secretAccessKey', but secrets are read only from the environment"),
        message);
    assertFalse(message.contains("s3cr3t-value"));
  }

  @Test
  void validFile_readsEveryKindOfValue() throws Exception {
    Files.writeString(
        dir.resolve("cdnpub.json"),
        "{\"library\":\"chatleo\",\"r2\":{\"bucket\":\"b\",\"endpoint\":null},"
            + "\"worker\":{\"vars\":{\"ALIAS_BROWSER_TTL\":45}},\"local\":{}}");
    ConfigFile config = ConfigFile.load(null, dir);
    assertEquals("chatleo", config.get("library"));
    assertEquals("b", config.get("r2.bucket"));
    assertNull(config.get("r2.endpoint"));
    assertEquals("45", config.get("worker.vars.ALIAS_BROWSER_TTL"));
    assertTrue(config.has("r2"));
    assertTrue(config.has("local"));
    assertFalse(config.has("kv"));
    assertThrows(
        IllegalArgumentException.class,
        () -> config.get("r2.bukcet"),
        "the code may read only declared keys");
  }

  @Test
  void schema_holdsEveryKeyTheCodeReads() {
    assertEquals(
        List.of(
            "target",
            "library",
            "publicUrl",
            "entry",
            "local.dir",
            "r2.accountId",
            "r2.bucket",
            "r2.endpoint",
            "kv.namespaceId",
            "cloudflare.accountId",
            "cloudflare.api",
            "worker.cdnHost",
            "worker.zoneName",
            "worker.zoneId",
            "worker.name",
            "worker.vars.ALIAS_BROWSER_TTL",
            "worker.vars.ALIAS_SHORT_BROWSER_TTL",
            "worker.vars.KV_CACHE_TTL"),
        ConfigFile.KEYS);
    for (String var : Settings.WORKER_VARS) {
      assertTrue(ConfigFile.KEYS.contains("worker.vars." + var), var);
    }
    assertEquals(
        Set.copyOf(Settings.WORKER_VARS).size(),
        ConfigFile.KEYS.stream().filter(k -> k.startsWith("worker.vars.")).count());
  }

  @Test
  void everyKey_isDocumentedInPublishMd() throws Exception {
    String docs = Files.readString(Path.of("docs/publish.md"));
    for (String key : ConfigFile.KEYS) {
      assertTrue(docs.contains("`" + key + "`"), key + " is not in docs/publish.md");
    }
  }

  @Test
  void nearMiss_countsASwapAsOneEdit_andIgnoresFarNames() {
    assertEquals(1, NearMiss.distance("bucekt", "bucket"));
    assertEquals(0, NearMiss.distance("ACCOUNTID", "accountId"));
    assertNull(NearMiss.closest("zone", List.of("library", "target")));
  }
}
