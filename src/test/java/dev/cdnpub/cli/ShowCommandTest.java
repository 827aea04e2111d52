package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.PublishListener;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.PublishPlanner;
import dev.cdnpub.publish.Publisher;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.InterruptingStore;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stuck claim is never a mystery: versions lists it, show tells claimed / sealed / yanked. */
class ShowCommandTest {
  @TempDir Path work;

  private CliRun cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--library";
    all[args.length + 1] = "chatleo";
    return CliRun.run(work, Map.of(), all);
  }

  /** A publish of 1.1.0 that died right after its claim. */
  private PublishPlan interruptedPublish() {
    Path dist = TestFiles.library(work.resolve("dist-b"), "b", 2);
    PublishPlan plan = PublishPlanner.plan(dist, "chatleo", ReleaseVersion.parse("1.1.0"), false);
    try (LocalObjectStore store = new LocalObjectStore(work.resolve(".cdnpub"))) {
      Clock clock = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);
      assertThrows(
          CdnpubException.class,
          () ->
              new Publisher(new InterruptingStore(store, 2), clock, 1, PublishListener.NONE)
                  .publish(plan));
    }
    return plan;
  }

  @Test
  void claimedButUnsealedVersion_isListedAndShownWithItsClaim() throws Exception {
    TestFiles.library(work.resolve("dist"), "a", 3);
    assertEquals(0, cli("publish", "dist", "--version", "1.0.0").exitCode);
    PublishPlan stuck = interruptedPublish();

    CliRun versions = cli("versions");
    assertEquals(0, versions.exitCode, versions.toString());
    assertEquals(
        java.util.List.of(
            "1.0.0",
            "1.1.0 (claimed 2026-11-30T08:00:00Z, not sealed: re-run its publish to finish it; cdnpub show 1.1.0 --library chatleo)"),
        versions.firstColumn(),
        "the hint carries --library, as the library came from it");
    assertTrue(versions.out.startsWith("1.0.0  2026-11-22T12:00:00Z  3 files, "), versions.out);
    JsonNode json = new ObjectMapper().readTree(cli("versions", "--json").out);
    assertEquals("1.1.0", json.get("claimed").get(0).get("version").asText());
    assertEquals(stuck.digest(), json.get("claimed").get(0).get("digest").asText());
    assertEquals("[\"1.0.0\"]", json.get("versions").toString());
    assertEquals("2026-11-22T12:00:00Z", json.get("releases").get(0).get("sealedAt").asText());
    assertEquals(3, json.get("releases").get(0).get("fileCount").asInt());
    assertEquals(false, json.get("releases").get(0).get("yanked").asBoolean());

    CliRun show = cli("show", "1.1.0");
    assertEquals(0, show.exitCode, show.toString());
    assertTrue(show.out.startsWith("chatleo 1.1.0: claimed, not sealed."), show.out);
    assertTrue(
        show.out.contains("claimed  2026-11-30T08:00:00Z  " + stuck.digest() + "  (2 files"),
        show.out);
    JsonNode shown = new ObjectMapper().readTree(cli("show", "1.1.0", "--json").out);
    assertEquals("claimed", shown.get("state").asText());
    assertEquals("2026-11-30T08:00:00Z", shown.get("claimedAt").asText());
    assertTrue(shown.get("sealedAt") == null);

    CliRun verify = cli("verify", "1.1.0");
    assertEquals(4, verify.exitCode, verify.toString());
    assertTrue(
        verify.err.contains("its publish to finish it (cdnpub show 1.1.0 --library chatleo)."),
        verify.err);

    // Re-running the stuck publish seals it, and it leaves the claimed list.
    assertEquals(0, cli("publish", "dist-b", "--version", "1.1.0").exitCode);
    assertEquals(java.util.List.of("1.1.0", "1.0.0"), cli("versions").firstColumn());
  }

  @Test
  void sealedAndYankedVersions_showTheirFilesTimesAndYank() throws Exception {
    TestFiles.library(work.resolve("dist"), "a", 3);
    assertEquals(0, cli("publish", "dist", "--version", "1.0.0").exitCode);
    CliRun show = cli("show", "1.0.0");
    assertEquals(0, show.exitCode, show.toString());
    assertTrue(show.out.startsWith("chatleo 1.0.0: sealed (published).\n"), show.out);
    assertTrue(show.out.contains("  sealed   2026-11-22T12:00:00Z"), show.out);
    assertTrue(show.out.contains("  files (3, "), show.out);
    assertTrue(
        show.out
            .lines()
            .anyMatch(l -> l.matches("    loader\\.js  \\d+ B  sha384-[A-Za-z0-9+/]{64}")),
        show.out);

    assertEquals(0, cli("yank", "1.0.0", "--reason", "broken widget", "--actor", "alice").exitCode);
    JsonNode json = new ObjectMapper().readTree(cli("show", "1.0.0", "--json").out);
    assertEquals("yanked", json.get("state").asText());
    assertEquals("broken widget", json.get("yank").get("reason").asText());
    assertEquals("alice", json.get("yank").get("actor").asText());
    assertEquals(3, json.get("fileCount").asInt());
    assertEquals(3, json.get("files").size());
    assertTrue(
        cli("show", "1.0.0")
            .out
            .contains("  yanked   2026-11-22T12:00:00Z by alice: broken widget"));
  }

  @Test
  void freeVersion_exits4_andBadVersion_exits2() {
    assertEquals(
        0,
        cli(
                "publish",
                TestFiles.library(work.resolve("dist"), "a", 1).toString(),
                "--version",
                "1.0.0")
            .exitCode);
    CliRun missing = cli("show", "9.9.9");
    assertEquals(4, missing.exitCode, missing.toString());
    assertTrue(missing.err.contains("chatleo 9.9.9 is neither published nor claimed"), missing.err);
    assertEquals(2, cli("show", "9.9").exitCode);
    CliRun noStore = cli("show", "1.0.0", "--local-dir", work.resolve("nowhere").toString());
    assertEquals(4, noStore.exitCode, noStore.toString());
    assertTrue(noStore.err.contains("does not exist"), noStore.err);
  }
}
