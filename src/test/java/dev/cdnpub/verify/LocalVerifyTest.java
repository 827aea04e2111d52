package dev.cdnpub.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.publish.PublishListener;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.PublishPlanner;
import dev.cdnpub.publish.Publisher;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.InterruptingStore;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** verify on the local store: tampering written straight into {@code .cdnpub/objects} and meta. */
class LocalVerifyTest extends VerifyContract {
  private Path store() {
    return work.resolve(".cdnpub");
  }

  @Override
  Map<String, String> freshStore() {
    return new HashMap<>();
  }

  @Override
  void delete(String key) throws Exception {
    Files.delete(store().resolve("objects").resolve(key));
    Files.delete(store().resolve("meta").resolve(key));
  }

  @Override
  void overwrite(String key, byte[] body, String contentType, String cacheControl)
      throws Exception {
    Path object = store().resolve("objects").resolve(key);
    // A new file, not the published one rewritten in place: the store links its objects.
    Files.delete(object);
    Files.write(object, body);
    Path meta = store().resolve("meta").resolve(key);
    @SuppressWarnings("unchecked")
    Map<String, Object> record = Jackson.MAPPER.readValue(meta.toFile(), LinkedHashMap.class);
    record.put("size", body.length);
    record.put("contentType", contentType);
    record.put("cacheControl", cacheControl);
    Jackson.MAPPER.writeValue(meta.toFile(), record);
  }

  @Override
  void add(String key, byte[] body) throws Exception {
    Path object = store().resolve("objects").resolve(key);
    Files.createDirectories(object.getParent());
    Files.createDirectories(store().resolve("meta").resolve(key).getParent());
    Files.copy(store().resolve("meta").resolve(LOADER), store().resolve("meta").resolve(key));
    Files.write(object, body);
    overwrite(key, body, JS, dev.cdnpub.publish.PublishPlan.CACHE_CONTROL);
  }

  @Override
  byte[] bytes(String key) throws Exception {
    return Files.readAllBytes(store().resolve("objects").resolve(key));
  }

  @Test
  void verify_yankedVersion_isVerifiedAndSaysSo() throws Exception {
    CliRun yank = cli("yank", "1.0.0", "--reason", "broken in Safari");
    assertEquals(0, yank.exitCode, yank.toString());
    CliRun run = cli("verify", "1.0.0");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.out.startsWith("chatleo 1.0.0 is yanked (broken in Safari);"), run.out);
    assertTrue(run.out.contains("verified chatleo 1.0.0: 3 files match"), run.out);
    JsonNode json = Jackson.MAPPER.readTree(cli("verify", "1.0.0", "--json").out);
    assertEquals("yanked", json.get("state").asText());
    assertEquals("broken in Safari", json.get("yank").get("reason").asText());
  }

  @Test
  void verify_claimedButUnsealedVersion_exits4SayingItIsNotSealed() {
    Path dist = TestFiles.library(work.resolve("dist-b"), "b", 2);
    PublishPlan plan = PublishPlanner.plan(dist, "chatleo", ReleaseVersion.parse("1.1.0"), false);
    try (LocalObjectStore local = new LocalObjectStore(store())) {
      Clock clock = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);
      assertThrows(
          CdnpubException.class,
          () ->
              new Publisher(new InterruptingStore(local, 2), clock, 1, PublishListener.NONE)
                  .publish(plan));
    }
    CliRun run = cli("verify", "1.1.0");
    assertEquals(4, run.exitCode, run.toString());
    assertTrue(run.err.contains("chatleo 1.1.0 is claimed but not sealed"), run.err);
  }

  @Test
  void verify_baseUrlWithoutPublic_isRefusedWithExit2() {
    CliRun run = cli("verify", "1.0.0", "--base-url", "https://cdn.example.com");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("--base-url is only read with --public"), run.err);
  }

  @Test
  void verify_missingLocalStore_exits4() {
    CliRun run = cli("verify", "1.0.0", "--local-dir", "elsewhere");
    assertEquals(4, run.exitCode, run.toString());
  }
}
