package dev.cdnpub.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdnpub verify VERSION} against a store: a release published by cdnpub, then tampered with
 * behind cdnpub's back (straight into the store's files or bucket), must fail with exit 7 naming
 * the file and what differs. Run against every store.
 */
abstract class VerifyContract {
  static final String JS = "text/javascript; charset=utf-8";
  static final String LOADER = "v1.0.0/chatleo/loader.js";
  static final String CHUNK = "v1.0.0/chatleo/chunks/chunk-1.js";

  @TempDir Path work;

  /** The environment that points cdnpub at a fresh, empty store. */
  abstract Map<String, String> freshStore() throws Exception;

  /** Removes the object at {@code key}, bypassing cdnpub. */
  abstract void delete(String key) throws Exception;

  /** Replaces the object at {@code key} with these bytes and headers, bypassing cdnpub. */
  abstract void overwrite(String key, byte[] body, String contentType, String cacheControl)
      throws Exception;

  /** The stored bytes of {@code key}. */
  abstract byte[] bytes(String key) throws Exception;

  /** Stores a new object at {@code key} with the release's headers, bypassing cdnpub. */
  abstract void add(String key, byte[] body) throws Exception;

  @Test
  void verify_fileAddedUnderTheRelease_exits7NamingItAsUnexpected() throws Exception {
    add("v1.0.0/chatleo/evil.js", "alert(1)".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    add("v1.0.0/chatleo-other/kept.js", new byte[] {1}); // another library's prefix: not ours
    CliRun run = cli("verify", "1.0.0");
    assertEquals(7, run.exitCode, run.toString());
    assertTrue(run.err.contains("chatleo 1.0.0 failed verification at "), run.err);
    assertTrue(run.err.endsWith(": 1 unexpected file not in the manifest: evil.js.\n"), run.err);
    assertTrue(run.out.contains("  unexpected  evil.js: not in the manifest"), run.out);
    assertFalse(run.all().contains("kept.js"), run.toString());

    JsonNode json = Jackson.MAPPER.readTree(cli("verify", "1.0.0", "--json").out);
    assertEquals(7, json.get("exitCode").asInt(), json.toString());
    assertEquals(3, json.get("files").size(), "the manifest's files, all matching");
    assertEquals(0, json.get("badFileCount").asInt());
    assertEquals(
        "[{\"path\":\"evil.js\",\"key\":\"v1.0.0/chatleo/evil.js\",\"problems\":[\"not in the manifest\"]}]",
        json.get("unexpectedFiles").toString());
  }

  Map<String, String> env;

  @BeforeEach
  void publishRelease() throws Exception {
    env = freshStore();
    env.put("CDNPUB_LIBRARY", "chatleo");
    TestFiles.library(work.resolve("dist"), "a", 3);
    CliRun published = cli("publish", "dist", "--version", "1.0.0", "--no-aliases");
    assertEquals(0, published.exitCode, published.toString());
  }

  CliRun cli(String... args) {
    return CliRun.run(work, env, args);
  }

  @Test
  void verify_untouchedRelease_reportsEveryFileMatchingAndExitsZero() throws Exception {
    CliRun run = cli("verify", "1.0.0");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.out.startsWith("verified chatleo 1.0.0: 3 files match the manifest"), run.out);

    JsonNode json = Jackson.MAPPER.readTree(cli("verify", "1.0.0", "--json").out);
    assertEquals("ok", json.get("status").asText());
    assertEquals("store", json.get("source").asText());
    assertEquals(3, json.get("files").size());
    for (JsonNode file : json.get("files")) {
      assertTrue(file.get("ok").asBoolean(), file.toString());
      assertEquals(0, file.get("problems").size());
    }
  }

  @Test
  void verify_deletedFile_exits7NamingIt() throws Exception {
    delete(CHUNK);
    CliRun run = cli("verify", "1.0.0");
    assertEquals(7, run.exitCode, run.toString());
    assertTrue(run.err.contains("1 of 3 files differ from the manifest"), run.err);
    assertTrue(run.err.contains("chunks/chunk-1.js (missing)"), run.err);
    assertTrue(run.out.contains("differs  chunks/chunk-1.js: missing"), run.out);
    assertFalse(run.all().contains("loader.js"), run.toString());
  }

  @Test
  void verify_bytesChangedAtTheSameSize_exits7SayingTheContentDiffers() throws Exception {
    byte[] original = bytes(LOADER);
    byte[] tampered = original.clone();
    tampered[3] = (byte) (tampered[3] == 'x' ? 'y' : 'x');
    overwrite(LOADER, tampered, JS, PublishPlan.CACHE_CONTROL);
    CliRun run = cli("verify", "1.0.0");
    assertEquals(7, run.exitCode, run.toString());
    assertTrue(run.err.contains("loader.js (content differs at the same size (sha256 "), run.err);
    assertFalse(run.err.contains("chunks/"), run.err);
  }

  @Test
  void verify_wrongContentType_exits7NamingBothTypes() throws Exception {
    overwrite(LOADER, bytes(LOADER), "text/plain", PublishPlan.CACHE_CONTROL);
    CliRun run = cli("verify", "1.0.0");
    assertEquals(7, run.exitCode, run.toString());
    assertTrue(
        run.err.contains(
            "loader.js (Content-Type \"text/plain\", manifest \"text/javascript; charset=utf-8\")"),
        run.err);
  }

  @Test
  void verify_wrongCacheControl_exits7NamingIt() throws Exception {
    overwrite(LOADER, bytes(LOADER), JS, "no-cache");
    CliRun run = cli("verify", "1.0.0");
    assertEquals(7, run.exitCode, run.toString());
    assertTrue(
        run.err.contains(
            "loader.js (Cache-Control \"no-cache\", expected \"public, max-age=31536000, immutable\")"),
        run.err);
  }

  @Test
  void verify_json_onFailure_printsOneObjectWithEveryFilesResult() throws Exception {
    delete(CHUNK);
    overwrite(LOADER, "changed".getBytes(StandardCharsets.UTF_8), JS, PublishPlan.CACHE_CONTROL);
    CliRun run = cli("verify", "1.0.0", "--json");
    assertEquals(7, run.exitCode, run.toString());
    assertEquals(1, run.out.lines().count(), run.out);
    JsonNode json = Jackson.MAPPER.readTree(run.out);
    assertEquals("verify", json.get("command").asText());
    assertEquals("error", json.get("status").asText());
    assertEquals(7, json.get("exitCode").asInt());
    assertEquals(2, json.get("badFileCount").asInt());
    assertTrue(json.get("message").asText().contains("2 of 3 files differ"), run.out);
    List<String> paths =
        json.get("files").findValues("path").stream().map(JsonNode::asText).toList();
    assertEquals(List.of("chunks/chunk-1.js", "chunks/chunk-2.js", "loader.js"), paths);
    assertEquals("[\"missing\"]", json.get("files").get(0).get("problems").toString());
    assertTrue(json.get("files").get(1).get("ok").asBoolean());
    assertTrue(
        json.get("files").get(2).get("problems").get(0).asText().startsWith("size 7 B, manifest "),
        run.out);
  }

  @Test
  void verify_unknownVersion_exits4() {
    CliRun run = cli("verify", "2.0.0");
    assertEquals(4, run.exitCode, run.toString());
    assertTrue(run.err.contains("chatleo 2.0.0 is neither published nor claimed"), run.err);
  }
}
