package dev.cdnpub.alias;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Hints;
import dev.cdnpub.publish.PublishListener;
import dev.cdnpub.publish.PublishPlanner;
import dev.cdnpub.publish.Publisher;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alias semantics on every store, with the local KV as the projection. */
abstract class AliasServiceContract {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  @TempDir Path tmp;
  ObjectStore store;
  LocalAliasKv kv;
  AliasService aliases;

  abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = newStore();
    kv = new LocalAliasKv(Files.createDirectories(tmp.resolve("kvroot")));
    aliases = new AliasService(store, kv, "chatleo", CLOCK, "alice", Hints.NONE);
  }

  /** Seals a version of chatleo (distinct content per version) and runs the publish alias step. */
  AliasResult publish(String version, String... tags) {
    ReleaseVersion v = ReleaseVersion.parse(version);
    Path dir = TestFiles.library(tmp.resolve("dist-" + version), version, 2);
    new Publisher(store, CLOCK, 2, PublishListener.NONE)
        .publish(PublishPlanner.plan(dir, "chatleo", v, false));
    return aliases.onPublish(v, java.util.Arrays.stream(tags).map(AliasName::parse).toList());
  }

  /** Seals a version of chatleo without moving any alias. */
  void seal(String version) {
    Path dir = TestFiles.library(tmp.resolve("dist-" + version), version, 2);
    new Publisher(store, CLOCK, 2, PublishListener.NONE)
        .publish(PublishPlanner.plan(dir, "chatleo", ReleaseVersion.parse(version), false));
  }

  AliasResult canary(String alias, String version, int percent) {
    return aliases.canary(AliasName.parse(alias), ReleaseVersion.parse(version), percent, false);
  }

  static String only(AliasResult result) {
    assertEquals(1, result.changes().size(), result.changes().toString());
    return result.changes().get(0).toString();
  }

  String metadata(String alias) {
    return kv.metadata("chatleo/" + alias).orElse(null);
  }

  static String canaryMetadata(String version, int percent) {
    return "{\"canary\":{\"version\":\"" + version + "\",\"percent\":" + percent + "}}";
  }

  List<String> causes(String alias) {
    return aliases.log().history(alias).stream().map(AliasEntry::cause).toList();
  }

  Map<String, String> values() {
    Map<String, String> m = new TreeMap<>();
    aliases.log().all().forEach((k, e) -> m.put(k, e.to()));
    return m;
  }

  Map<String, String> kvValues() {
    Map<String, String> m = new TreeMap<>();
    for (String alias : aliases.log().all().keySet()) {
      m.put(alias, kv.get("chatleo/" + alias).orElse(null));
    }
    return m;
  }

  @Test
  void publish_movesLatestMajorAndMinorOnlyUpward() {
    publish("1.2.0");
    assertEquals(Map.of("latest", "1.2.0", "v1", "1.2.0", "v1.2", "1.2.0"), values());
    AliasResult older = publish("1.1.5");
    assertEquals(
        List.of("v1.1: (new) -> 1.1.5"), older.changes().stream().map(Object::toString).toList());
    assertEquals(
        Map.of("latest", "1.2.0", "v1", "1.2.0", "v1.2", "1.2.0", "v1.1", "1.1.5"), values());
    publish("0.9.9");
    assertEquals("1.2.0", values().get("latest"));
    assertEquals("0.9.9", values().get("v0"));
    assertEquals("0.9.9", values().get("v0.9"));
    publish("1.10.0");
    assertEquals("1.10.0", values().get("latest"), "semver order, not string order");
    assertEquals(values(), kvValues(), "KV mirrors the log");
  }

  /**
   * latest, vN and vN.M have a log each, so a publish moves them at the same time: every alias
   * append waits here until all three are in flight, which only concurrent moves can satisfy.
   */
  @Test
  void publish_movesItsAliasesAtTheSameTime() {
    ReleaseVersion v = ReleaseVersion.parse("1.4.0");
    Path dir = TestFiles.library(tmp.resolve("dist-1.4.0"), "1.4.0", 2);
    new Publisher(store, CLOCK, 2, PublishListener.NONE)
        .publish(PublishPlanner.plan(dir, "chatleo", v, false));
    var allIn = new java.util.concurrent.CyclicBarrier(3);
    ObjectStore gated =
        new dev.cdnpub.testing.ForwardingStore(store) {
          @Override
          public dev.cdnpub.store.CreateResult createIfAbsent(
              String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
            if (key.contains("/aliases/")) {
              try {
                allIn.await(10, java.util.concurrent.TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("the alias moves did not run at the same time", e);
              }
            }
            return super.createIfAbsent(key, body, metadata);
          }
        };
    AliasResult result =
        new AliasService(gated, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .onPublish(v, List.of(), true);
    assertEquals(
        List.of("latest: (new) -> 1.4.0", "v1: (new) -> 1.4.0", "v1.4: (new) -> 1.4.0"),
        result.changes().stream().map(Object::toString).toList(),
        "changes in alias order");
    assertEquals(Map.of("latest", "1.4.0", "v1", "1.4.0", "v1.4", "1.4.0"), kvValues());
  }

  @Test
  void publish_prerelease_movesNothingButItsTags() {
    publish("1.2.0");
    AliasResult pre = publish("2.0.0-beta.1", "next");
    assertEquals(
        List.of("next: (new) -> 2.0.0-beta.1"),
        pre.changes().stream().map(Object::toString).toList());
    assertEquals("1.2.0", values().get("latest"));
    assertEquals(null, values().get("v2"));
    assertEquals("2.0.0-beta.1", kv.get("chatleo/next").orElseThrow());
  }

  @Test
  void publish_rerun_movesNothingAgainButRepairsKv() throws Exception {
    publish("1.2.0");
    kv.put("chatleo/latest", "0.0.0", null); // KV lost the write
    AliasResult again = aliases.onPublish(ReleaseVersion.parse("1.2.0"), List.of());
    assertTrue(again.changes().isEmpty());
    assertEquals("1.2.0", kv.get("chatleo/latest").orElseThrow());
    assertEquals(1, aliases.log().history("latest").size());
  }

  @Test
  void set_requiresSealedVersionAndMatchingMajorMinor() {
    publish("1.2.0");
    publish("2.0.0");
    assertEquals(
        ExitCode.NOT_FOUND,
        assertThrows(
                CdnpubException.class,
                () -> aliases.set(AliasName.parse("v1"), ReleaseVersion.parse("1.3.0"), false))
            .exitCode());
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () -> aliases.set(AliasName.parse("v1"), ReleaseVersion.parse("2.0.0"), false))
            .exitCode());
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () -> aliases.set(AliasName.parse("v2.1"), ReleaseVersion.parse("2.0.0"), false))
            .exitCode());
    AliasResult back = aliases.set(AliasName.parse("latest"), ReleaseVersion.parse("1.2.0"), false);
    assertEquals("latest: 2.0.0 -> 1.2.0", back.changes().get(0).toString());
    assertTrue(back.warnings().get(0).contains("backwards"), back.warnings().toString());
    assertEquals("1.2.0", kv.get("chatleo/latest").orElseThrow());
  }

  @Test
  void rollback_walksBackThroughEarlierValues_thenNotFound() {
    publish("1.0.0");
    publish("1.0.1");
    publish("1.0.2");
    assertEquals(
        "v1: 1.0.2 -> 1.0.1",
        aliases.rollback(AliasName.parse("v1"), null).changes().get(0).toString());
    assertEquals(
        "v1: 1.0.1 -> 1.0.0",
        aliases.rollback(AliasName.parse("v1"), null).changes().get(0).toString());
    CdnpubException none =
        assertThrows(CdnpubException.class, () -> aliases.rollback(AliasName.parse("v1"), null));
    assertEquals(ExitCode.NOT_FOUND, none.exitCode());
    assertEquals("1.0.0", kv.get("chatleo/v1").orElseThrow());
    // a new change after rollbacks is undone by the next rollback
    aliases.set(AliasName.parse("v1"), ReleaseVersion.parse("1.0.2"), false);
    assertEquals(
        "v1: 1.0.2 -> 1.0.0",
        aliases.rollback(AliasName.parse("v1"), null).changes().get(0).toString());
  }

  @Test
  void rollback_toGivenEarlierValue() {
    publish("1.0.0");
    publish("1.0.1");
    publish("1.0.2");
    assertEquals(
        "latest: 1.0.2 -> 1.0.0",
        aliases
            .rollback(AliasName.parse("latest"), ReleaseVersion.parse("1.0.0"))
            .changes()
            .get(0)
            .toString());
    assertEquals(
        ExitCode.NOT_FOUND,
        assertThrows(
                CdnpubException.class,
                () -> aliases.rollback(AliasName.parse("latest"), ReleaseVersion.parse("1.0.2")))
            .exitCode());
    assertEquals(
        ExitCode.NOT_FOUND,
        assertThrows(CdnpubException.class, () -> aliases.rollback(AliasName.parse("nope"), null))
            .exitCode());
  }

  @Test
  void yank_movesAliasesBackAndIsNeverChosenAgain() {
    publish("1.0.0");
    publish("1.0.1");
    AliasResult yank = aliases.yank(ReleaseVersion.parse("1.0.1"), "broke IE");
    assertEquals(3, yank.changes().size(), yank.changes().toString());
    assertEquals(Map.of("latest", "1.0.0", "v1", "1.0.0", "v1.0", "1.0.0"), values());
    assertEquals(values(), kvValues());
    // files stay: pinned URLs keep working
    assertTrue(store.read("v1.0.1/chatleo/loader.js").isPresent());
    // re-running the publish alias step of a yanked version moves nothing
    assertTrue(aliases.onPublish(ReleaseVersion.parse("1.0.1"), List.of()).changes().isEmpty());
    // alias set needs --force
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () -> aliases.set(AliasName.parse("v1"), ReleaseVersion.parse("1.0.1"), false))
            .exitCode());
    assertEquals(
        "v1: 1.0.0 -> 1.0.1",
        aliases
            .set(AliasName.parse("v1"), ReleaseVersion.parse("1.0.1"), true)
            .changes()
            .get(0)
            .toString());
    // rollback skips yanked values
    publish("1.0.2");
    aliases.rollback(AliasName.parse("latest"), null);
    assertEquals("1.0.0", values().get("latest"));
    // yanking again is harmless
    assertTrue(
        aliases
            .yank(ReleaseVersion.parse("1.0.1"), "again")
            .warnings()
            .get(0)
            .contains("already yanked"));
    assertEquals(
        ExitCode.NOT_FOUND,
        assertThrows(CdnpubException.class, () -> aliases.yank(ReleaseVersion.parse("9.9.9"), "x"))
            .exitCode());
  }

  @Test
  void history_keepsEveryChangeWithTimeCauseAndActor() {
    publish("1.0.0");
    publish("1.0.1");
    for (int i = 0; i < 30; i++) {
      aliases.set(AliasName.parse("latest"), ReleaseVersion.parse("1.0.0"), false);
      aliases.rollback(AliasName.parse("latest"), null);
    }
    List<AliasEntry> history = aliases.log().history("latest");
    assertEquals(62, history.size(), "more than the last 50 changes are kept");
    AliasEntry first = history.get(0);
    assertEquals(1, first.seq());
    assertEquals(null, first.from());
    assertEquals("publish", first.cause());
    assertEquals("alice", first.actor());
    assertEquals("2026-11-22T12:00:00Z", first.at());
    for (int i = 0; i < history.size(); i++) {
      assertEquals(i + 1, history.get(i).seq());
    }
  }

  @Test
  void sync_rewritesKvFromLog() {
    publish("1.0.0");
    kv.put("chatleo/v1", "6.6.6", new Canary("6.6.7", 50));
    kv.put("chatleo/latest", "6.6.6", null);
    assertEquals(List.of("latest", "v1", "v1.0"), aliases.sync());
    assertEquals(values(), kvValues());
    assertEquals(
        java.util.Optional.empty(), kv.metadata("chatleo/v1"), "a canary not in the log is gone");
  }

  @Test
  void publishRerun_afterRollback_leavesTheRollbackInPlace() {
    publish("1.0.0");
    publish("1.1.0");
    aliases.rollback(AliasName.parse("latest"), null);
    aliases.set(AliasName.parse("v1"), ReleaseVersion.parse("1.0.0"), false);
    AliasResult rerun = aliases.onPublish(ReleaseVersion.parse("1.1.0"), List.of());
    assertTrue(rerun.changes().isEmpty(), rerun.changes().toString());
    assertEquals("1.0.0", values().get("latest"));
    assertEquals("1.0.0", values().get("v1"));
    assertEquals("1.0.0", kv.get("chatleo/latest").orElseThrow());
  }

  @Test
  void rollbackTo_yankedVersion_isRefused() {
    publish("1.0.0");
    publish("1.0.1");
    publish("1.0.2");
    aliases.yank(ReleaseVersion.parse("1.0.1"), "bad");
    // latest went 1.0.2 -> (yank did not touch it) ; its history still holds 1.0.1 as a from-value
    CdnpubException e =
        assertThrows(
            CdnpubException.class,
            () -> aliases.rollback(AliasName.parse("latest"), ReleaseVersion.parse("1.0.1")));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertEquals("1.0.2", values().get("latest"));
  }

  /**
   * The alias step of a version yanked before it ran (a re-run of its publish): no alias moves to
   * it, a named tag neither, and KV is not written; the step says why.
   */
  @Test
  void publishAliasStep_ofAYankedVersion_movesNothing() {
    publish("1.0.0");
    seal("1.0.1");
    aliases.yank(ReleaseVersion.parse("1.0.1"), "broken");
    Map<String, String> kvBefore = kvValues();
    AliasResult result =
        aliases.onPublish(ReleaseVersion.parse("1.0.1"), List.of(AliasName.parse("beta")), false);
    assertEquals(List.of(), result.changes());
    assertEquals(List.of("1.0.1 is yanked; no alias moves to it."), result.warnings());
    assertEquals(Map.of("latest", "1.0.0", "v1", "1.0.0", "v1.0", "1.0.0"), values());
    assertEquals(kvBefore, kvValues());
    assertTrue(kv.get("chatleo/beta").isEmpty(), "no KV key for the tag");
  }

  /**
   * A yank that runs between a publish's yank check and its alias moves: the publish moves back.
   */
  @Test
  void yankRacingPublishAliasStep_aliasesEndOffTheYankedVersion() {
    publish("1.0.0");
    ReleaseVersion v101 = ReleaseVersion.parse("1.0.1");
    Path dir = TestFiles.library(tmp.resolve("dist-1.0.1"), "1.0.1", 2);
    new Publisher(store, CLOCK, 2, PublishListener.NONE)
        .publish(PublishPlanner.plan(dir, "chatleo", v101, false));
    AliasService yanker = new AliasService(store, kv, "chatleo", CLOCK, "bob", Hints.NONE);
    var yanked = new java.util.concurrent.atomic.AtomicBoolean();
    ObjectStore hooked =
        new dev.cdnpub.testing.ForwardingStore(store) {
          @Override
          public dev.cdnpub.store.CreateResult createIfAbsent(
              String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
            if (key.contains("/aliases/") && yanked.compareAndSet(false, true)) {
              yanker.yank(v101, "found a bug"); // finds no alias on 1.0.1 yet
            }
            return super.createIfAbsent(key, body, metadata);
          }
        };
    AliasResult result =
        new AliasService(hooked, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .onPublish(v101, List.of());
    assertTrue(yanked.get());
    assertEquals(
        Map.of("latest", "1.0.0", "v1", "1.0.0", "v1.0", "1.0.0"), values(), result.toString());
    assertEquals(values(), kvValues());
  }

  /** The first attempt of a write landed but its answer was lost; the retry meets its own entry. */
  @Test
  void set_whoseWriteLandedButAnswerWasLost_countsAsDone() {
    publish("1.0.0");
    publish("1.0.1");
    ObjectStore lossy =
        new dev.cdnpub.testing.ForwardingStore(store) {
          @Override
          public dev.cdnpub.store.CreateResult createIfAbsent(
              String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
            dev.cdnpub.store.CreateResult real = super.createIfAbsent(key, body, metadata);
            return key.contains("/aliases/v1/")
                ? dev.cdnpub.store.CreateResult.ALREADY_EXISTS
                : real;
          }
        };
    AliasResult result =
        new AliasService(lossy, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .set(AliasName.parse("v1"), ReleaseVersion.parse("1.0.0"), false);
    assertEquals("v1: 1.0.1 -> 1.0.0", result.changes().get(0).toString());
    assertEquals(3, aliases.log().history("v1").size(), "one entry, not one per retry");
    assertEquals("1.0.0", kv.get("chatleo/v1").orElseThrow());
  }

  /**
   * Another writer moves the alias between a rollback's read and its write: exit 3, KV still right.
   */
  @Test
  void rollback_whenAliasChangedMeanwhile_exits3AndKvMatchesLog() {
    publish("1.0.0");
    publish("1.0.1");
    publish("1.0.2");
    AliasService other = new AliasService(store, kv, "chatleo", CLOCK, "bob", Hints.NONE);
    var raced = new java.util.concurrent.atomic.AtomicBoolean();
    ObjectStore hooked =
        new dev.cdnpub.testing.ForwardingStore(store) {
          @Override
          public dev.cdnpub.store.CreateResult createIfAbsent(
              String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
            if (key.contains("/aliases/v1/") && raced.compareAndSet(false, true)) {
              other.set(AliasName.parse("v1"), ReleaseVersion.parse("1.0.0"), false);
            }
            return super.createIfAbsent(key, body, metadata);
          }
        };
    CdnpubException e =
        assertThrows(
            CdnpubException.class,
            () ->
                new AliasService(hooked, kv, "chatleo", CLOCK, "alice", Hints.NONE)
                    .rollback(AliasName.parse("v1"), null));
    assertEquals(ExitCode.CONFLICT, e.exitCode());
    assertTrue(e.getMessage().contains("changed while rolling back"), e.getMessage());
    assertEquals("1.0.0", values().get("v1"));
    assertEquals("1.0.0", kv.get("chatleo/v1").orElseThrow());
  }

  @Test
  void libraryNameWithDoubleDot_worksOnEveryStore() {
    AliasService dotted = new AliasService(store, kv, "my..lib", CLOCK, "alice", Hints.NONE);
    Path dir = TestFiles.library(tmp.resolve("dd"), "dd", 1);
    new Publisher(store, CLOCK, 2, PublishListener.NONE)
        .publish(PublishPlanner.plan(dir, "my..lib", ReleaseVersion.parse("1.0.0"), false));
    dotted.onPublish(ReleaseVersion.parse("1.0.0"), List.of());
    assertEquals("1.0.0", kv.get("my..lib/latest").orElseThrow());
  }

  @Test
  void canary_startRampPromote_recordsEachStep_andKvCarriesTheSplitInMetadata() {
    publish("1.2.3");
    seal("1.2.4");
    assertEquals("v1: 1.2.3 -> 1.2.3, canary 1.2.4 at 25%", only(canary("v1", "1.2.4", 25)));
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow(), "KV value: the stable version");
    assertEquals(canaryMetadata("1.2.4", 25), metadata("v1"));
    assertEquals(null, metadata("latest"), "other aliases are not split");

    assertEquals(
        "v1: 1.2.3, canary 1.2.4 at 25% -> 1.2.3, canary 1.2.4 at 50%",
        only(canary("v1", "1.2.4", 50)));
    assertEquals(canaryMetadata("1.2.4", 50), metadata("v1"));
    AliasResult same = canary("v1", "1.2.4", 50);
    assertTrue(same.changes().isEmpty());
    assertEquals(List.of("v1 already sends 50% of its clients to 1.2.4."), same.warnings());

    assertEquals(
        "v1: 1.2.3, canary 1.2.4 at 50% -> 1.2.4",
        only(aliases.promote(AliasName.parse("v1"), null)));
    assertEquals("1.2.4", kv.get("chatleo/v1").orElseThrow());
    assertEquals(null, metadata("v1"), "promote leaves no canary");
    assertEquals(List.of("publish", "canary", "ramp", "promote"), causes("v1"));
    AliasEntry ramp = aliases.log().history("v1").get(2);
    assertEquals(new Canary("1.2.4", 50), ramp.canary());
    assertEquals("alice", ramp.actor());
  }

  @Test
  void canary_onLatestAndOnATag() {
    publish("1.2.3");
    publish("2.0.0-beta.1", "next");
    seal("1.3.0");
    seal("2.0.0-beta.2");
    assertEquals(
        "latest: 1.2.3 -> 1.2.3, canary 1.3.0 at 10%", only(canary("latest", "1.3.0", 10)));
    assertEquals(
        "next: 2.0.0-beta.1 -> 2.0.0-beta.1, canary 2.0.0-beta.2 at 99%",
        only(canary("next", "2.0.0-beta.2", 99)));
    assertEquals(canaryMetadata("2.0.0-beta.2", 99), metadata("next"));
  }

  @Test
  void rollback_endsTheCanary_thenGoesBehindIt() {
    publish("1.2.2");
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    canary("v1", "1.2.4", 50);
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () -> aliases.rollback(AliasName.parse("v1"), ReleaseVersion.parse("1.2.2")))
            .exitCode(),
        "--to while a canary is in progress");
    assertEquals(
        "v1: 1.2.3, canary 1.2.4 at 50% -> 1.2.3",
        only(aliases.rollback(AliasName.parse("v1"), null)));
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow());
    assertEquals(null, metadata("v1"), "everyone back on the stable version");
    assertEquals(
        "v1: 1.2.3 -> 1.2.2",
        only(aliases.rollback(AliasName.parse("v1"), null)),
        "the next rollback passes over the canary steps");
  }

  @Test
  void rollback_afterPromote_movesEveryoneBackToTheOldStableVersion() {
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    aliases.promote(AliasName.parse("v1"), null);
    assertEquals("v1: 1.2.4 -> 1.2.3", only(aliases.rollback(AliasName.parse("v1"), null)));
    assertEquals(null, metadata("v1"), "a rollback never brings a canary back");
  }

  @Test
  void yank_ofTheCanaryVersion_endsTheCanary_andOfTheStableVersion_too() {
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    canary("latest", "1.2.4", 5);
    AliasResult yank = aliases.yank(ReleaseVersion.parse("1.2.4"), "breaks Safari");
    assertEquals(
        List.of(
            "latest: 1.2.3, canary 1.2.4 at 5% -> 1.2.3",
            "v1: 1.2.3, canary 1.2.4 at 25% -> 1.2.3"),
        yank.changes().stream().map(Object::toString).toList());
    assertEquals(null, metadata("v1"));
    assertEquals(null, metadata("latest"));
    assertEquals("breaks Safari", aliases.log().current("v1").orElseThrow().reason());
    kv.put("chatleo/v1", "1.2.3", new Canary("1.2.4", 25)); // KV missed the yank's write
    AliasResult again = aliases.yank(ReleaseVersion.parse("1.2.4"), "breaks Safari");
    assertTrue(again.changes().isEmpty(), again.changes().toString());
    assertEquals(null, metadata("v1"), "a re-run of the yank repairs KV");

    publish("1.3.0");
    publish("1.3.1");
    seal("1.3.2");
    canary("v1.3", "1.3.2", 10);
    assertEquals(
        "v1.3: 1.3.1, canary 1.3.2 at 10% -> 1.3.0",
        aliases.yank(ReleaseVersion.parse("1.3.1"), "bad").changes().stream()
            .filter(c -> c.alias().equals("v1.3"))
            .findFirst()
            .orElseThrow()
            .toString());
    assertEquals(null, metadata("v1.3"));
  }

  @Test
  void canary_refusals_exitWithTheirCode_andMoveNothing() {
    publish("1.2.3");
    publish("2.0.0");
    seal("1.2.4");
    seal("1.2.5");
    aliases.yank(ReleaseVersion.parse("1.2.5"), "bad");
    canary("v1", "1.2.4", 25);
    Map<String, String> before = values();
    String kvBefore = metadata("v1");
    int entries = aliases.log().history("v1").size();
    for (Object[] refusal :
        new Object[][] {
          {"v1", "1.2.4", 0, ExitCode.USAGE},
          {"v1", "1.2.4", 100, ExitCode.USAGE},
          {"v1", "1.9.9", 25, ExitCode.NOT_FOUND},
          {"v1", "2.0.0", 25, ExitCode.USAGE},
          {"v1.3", "1.2.4", 25, ExitCode.USAGE},
          {"v1", "1.2.5", 25, ExitCode.USAGE},
          {"v1", "1.2.3", 25, ExitCode.USAGE},
          {"beta", "1.2.4", 25, ExitCode.NOT_FOUND},
        }) {
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () -> canary((String) refusal[0], (String) refusal[1], (Integer) refusal[2]),
              java.util.Arrays.toString(refusal));
      assertEquals(refusal[3], e.exitCode(), e.getMessage());
      assertTrue(e.getMessage().endsWith(".") && !e.getMessage().contains("\n"), e.getMessage());
    }
    assertEquals(
        ExitCode.USAGE,
        assertThrows(CdnpubException.class, () -> aliases.promote(AliasName.parse("latest"), null))
            .exitCode(),
        "no canary to promote");
    assertEquals(
        ExitCode.NOT_FOUND,
        assertThrows(CdnpubException.class, () -> aliases.promote(AliasName.parse("beta"), null))
            .exitCode());
    assertEquals(before, values());
    assertEquals(kvBefore, metadata("v1"));
    assertEquals(entries, aliases.log().history("v1").size());
    assertEquals(
        "v1: 1.2.3, canary 1.2.4 at 25% -> 1.2.3, canary 1.2.5 at 25%",
        only(aliases.canary(AliasName.parse("v1"), ReleaseVersion.parse("1.2.5"), 25, true)),
        "a yanked version with force; another version replaces the canary");
    assertEquals("canary", aliases.log().current("v1").orElseThrow().cause());
  }

  @Test
  void publish_leavesAnAliasWithACanaryAlone_andSaysSo() {
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    AliasResult next = publish("1.2.5");
    assertEquals(
        List.of("latest: 1.2.3 -> 1.2.5", "v1.2: 1.2.3 -> 1.2.5"),
        next.changes().stream().map(Object::toString).toList());
    assertEquals(
        List.of(
            "v1 has a canary in progress, so it was not moved to 1.2.5 (see cdnpub alias get v1)."),
        next.warnings());
    assertEquals(canaryMetadata("1.2.4", 25), metadata("v1"));
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow());
  }

  @Test
  void set_endsTheCanary_andSaysSo() {
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    AliasResult set = aliases.set(AliasName.parse("v1"), ReleaseVersion.parse("1.2.3"), false);
    assertEquals("v1: 1.2.3, canary 1.2.4 at 25% -> 1.2.3", only(set));
    assertEquals(List.of("v1's canary (1.2.4 at 25%) ended; everyone gets 1.2.3."), set.warnings());
    assertEquals(null, metadata("v1"));
  }

  /** Another writer moves the alias between the canary's read and its write: decided again. */
  @Test
  void canary_racingAnotherMove_isDecidedAgainOnTheNewValue() {
    publish("1.2.2");
    publish("1.2.3");
    seal("1.2.4");
    AliasService other = new AliasService(store, kv, "chatleo", CLOCK, "bob", Hints.NONE);
    var raced = new java.util.concurrent.atomic.AtomicBoolean();
    ObjectStore hooked =
        new dev.cdnpub.testing.ForwardingStore(store) {
          @Override
          public dev.cdnpub.store.CreateResult createIfAbsent(
              String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
            if (key.contains("/aliases/v1/") && raced.compareAndSet(false, true)) {
              other.set(AliasName.parse("v1"), ReleaseVersion.parse("1.2.2"), false);
            }
            return super.createIfAbsent(key, body, metadata);
          }
        };
    AliasResult result =
        new AliasService(hooked, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .canary(AliasName.parse("v1"), ReleaseVersion.parse("1.2.4"), 25, false);
    assertTrue(raced.get());
    assertEquals("v1: 1.2.2 -> 1.2.2, canary 1.2.4 at 25%", only(result));
    assertEquals(List.of("publish", "publish", "set", "canary"), causes("v1"));
    assertEquals("1.2.2", kv.get("chatleo/v1").orElseThrow());
    assertEquals(canaryMetadata("1.2.4", 25), metadata("v1"));
  }

  /**
   * A yank of the canary version lands between the canary's checks and its entry: the yank finds no
   * canary yet, so the canary ends itself when it sees the version yanked after writing.
   */
  @Test
  void canary_racingAYankOfItsVersion_endsItself() {
    publish("1.2.3");
    seal("1.2.4");
    AliasService yanker = new AliasService(store, kv, "chatleo", CLOCK, "bob", Hints.NONE);
    var yanked = new java.util.concurrent.atomic.AtomicBoolean();
    ObjectStore hooked =
        new dev.cdnpub.testing.ForwardingStore(store) {
          @Override
          public dev.cdnpub.store.CreateResult createIfAbsent(
              String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
            if (key.contains("/aliases/v1/") && yanked.compareAndSet(false, true)) {
              assertTrue(yanker.yank(ReleaseVersion.parse("1.2.4"), "bad").changes().isEmpty());
            }
            return super.createIfAbsent(key, body, metadata);
          }
        };
    AliasResult result =
        new AliasService(hooked, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .canary(AliasName.parse("v1"), ReleaseVersion.parse("1.2.4"), 25, false);
    assertTrue(yanked.get());
    assertEquals(
        List.of(
            "v1: 1.2.3 -> 1.2.3, canary 1.2.4 at 25%", "v1: 1.2.3, canary 1.2.4 at 25% -> 1.2.3"),
        result.changes().stream().map(Object::toString).toList());
    assertEquals(
        List.of("1.2.4 was yanked while starting the canary; the canary ended."),
        result.warnings());
    assertEquals(null, aliases.log().current("v1").orElseThrow().canary());
    assertEquals(null, metadata("v1"));
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow());
  }

  @Test
  void sync_reproducesTheCanaryFromTheLog() {
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    kv.put("chatleo/v1", "1.2.3", null); // KV lost the canary
    aliases.sync();
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow());
    assertEquals(canaryMetadata("1.2.4", 25), metadata("v1"));
  }

  /** An entry as cdnpub wrote it before canaries existed still reads, and a canary can start. */
  @Test
  void entryWrittenBeforeCanaries_stillReads() {
    seal("1.2.3");
    seal("1.2.4");
    String old =
        "{\n  \"schema\" : 1,\n  \"library\" : \"chatleo\",\n  \"alias\" : \"v1\",\n  \"seq\" : 1,\n"
            + "  \"to\" : \"1.2.3\",\n  \"at\" : \"2026-11-01T10:00:00Z\",\n  \"cause\" : \"publish\",\n"
            + "  \"actor\" : \"ci\",\n  \"writer\" : \"0f8e0c8a-5d5e-4b59-9d4e-2a1f0d0c1b2a\"\n}";
    store.createIfAbsent(
        dev.cdnpub.publish.Keys.aliasEntry("chatleo", "v1", 1),
        dev.cdnpub.store.Body.ofBytes(old.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        dev.cdnpub.store.ObjectMetadata.RECORD);
    AliasEntry entry = aliases.log().current("v1").orElseThrow();
    assertEquals("1.2.3", entry.to());
    assertEquals(null, entry.canary());
    assertEquals("v1: 1.2.3 -> 1.2.3, canary 1.2.4 at 25%", only(canary("v1", "1.2.4", 25)));
  }

  /**
   * A yank that ended a canary is the newest entry of the alias; a later yank of the stable version
   * must still move the alias back, not take it for an earlier run of itself.
   */
  @Test
  void yank_ofTheStableVersion_afterAYankEndedItsCanary_stillMovesTheAliasBack() {
    publish("1.2.2");
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    aliases.yank(ReleaseVersion.parse("1.2.4"), "bad");
    AliasResult yank = aliases.yank(ReleaseVersion.parse("1.2.3"), "bad too");
    assertEquals(
        List.of("latest: 1.2.3 -> 1.2.2", "v1: 1.2.3 -> 1.2.2", "v1.2: 1.2.3 -> 1.2.2"),
        yank.changes().stream().map(Object::toString).toList());
    assertEquals(List.of(), yank.warnings());
    assertEquals("1.2.2", values().get("v1"));
    assertEquals("1.2.2", kv.get("chatleo/v1").orElseThrow());

    kv.put("chatleo/v1", "1.2.3", null); // KV missed the second yank's write
    AliasResult again = aliases.yank(ReleaseVersion.parse("1.2.3"), "bad too");
    assertTrue(again.changes().isEmpty(), again.changes().toString());
    assertEquals("1.2.2", kv.get("chatleo/v1").orElseThrow(), "a re-run of the yank repairs KV");
  }

  /** A re-run of a yank that ended a canary repairs KV; a yank of another version does not. */
  @Test
  void yank_rerun_afterItEndedACanary_repairsKv_andAnotherYankLeavesTheAliasAlone() {
    publish("1.2.2");
    publish("1.2.3");
    seal("1.2.4");
    seal("1.2.5");
    canary("v1", "1.2.4", 25);
    aliases.yank(ReleaseVersion.parse("1.2.4"), "bad");
    kv.put("chatleo/v1", "1.2.3", new Canary("1.2.4", 25)); // KV missed the yank's write
    AliasResult other = aliases.yank(ReleaseVersion.parse("1.2.5"), "unused");
    assertTrue(other.changes().isEmpty(), other.changes().toString());
    assertEquals(canaryMetadata("1.2.4", 25), metadata("v1"), "not this yank's alias to repair");
    AliasResult again = aliases.yank(ReleaseVersion.parse("1.2.4"), "bad");
    assertTrue(again.changes().isEmpty(), again.changes().toString());
    assertEquals(null, metadata("v1"), "the re-run of the yank that ended the canary repairs KV");
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow());
  }

  /**
   * A store whose first entry write for {@code alias} runs {@code race} just before it: another
   * writer acting between a command's decision and its entry.
   */
  ObjectStore racingOnce(String alias, Runnable race) {
    var raced = new java.util.concurrent.atomic.AtomicBoolean();
    return new dev.cdnpub.testing.ForwardingStore(store) {
      @Override
      public dev.cdnpub.store.CreateResult createIfAbsent(
          String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
        if (key.contains("/aliases/" + alias + "/") && raced.compareAndSet(false, true)) {
          race.run();
        }
        return super.createIfAbsent(key, body, metadata);
      }
    };
  }

  AliasService bob() {
    return new AliasService(store, kv, "chatleo", CLOCK, "bob", Hints.NONE);
  }

  static List<String> strings(AliasResult result) {
    return result.changes().stream().map(Object::toString).toList();
  }

  /**
   * A yank of the version lands between the set's checks and its entry, so the yank finds nothing
   * on the version: the set sees the yank after writing and moves the alias back, as canary does.
   */
  @Test
  void set_racingAYankOfItsVersion_movesTheAliasBack() {
    publish("1.2.3");
    seal("1.2.4");
    ObjectStore racing =
        racingOnce(
            "v1",
            () -> assertTrue(bob().yank(ReleaseVersion.parse("1.2.4"), "bad").changes().isEmpty()));
    AliasResult set =
        new AliasService(racing, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .set(AliasName.parse("v1"), ReleaseVersion.parse("1.2.4"), false);
    assertEquals(List.of("v1: 1.2.3 -> 1.2.4", "v1: 1.2.4 -> 1.2.3"), strings(set));
    assertEquals(
        List.of("1.2.4 was yanked while pointing v1 at it; v1 moved back to 1.2.3."),
        set.warnings());
    assertEquals("1.2.3", values().get("v1"));
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow());
    assertEquals(List.of("publish", "set", "yank"), causes("v1"));
  }

  /** With --force a yanked version is deliberate, so a set racing its yank stays on it. */
  @Test
  void setWithForce_racingAYankOfItsVersion_staysOnIt() {
    publish("1.2.3");
    seal("1.2.4");
    ObjectStore racing = racingOnce("v1", () -> bob().yank(ReleaseVersion.parse("1.2.4"), "bad"));
    AliasResult set =
        new AliasService(racing, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .set(AliasName.parse("v1"), ReleaseVersion.parse("1.2.4"), true);
    assertEquals(List.of("v1: 1.2.3 -> 1.2.4"), strings(set));
    assertEquals(List.of(), set.warnings());
    assertEquals("1.2.4", kv.get("chatleo/v1").orElseThrow());
  }

  /**
   * A yank of the rollback's target lands between the rollback's checks and its entry, and there is
   * nothing earlier: a rollback never chooses a yanked version, so the alias goes back to where it
   * was, and a further rollback finds nothing to go back to.
   */
  @Test
  void rollback_racingAYankOfItsTarget_withNothingEarlier_putsTheAliasBack() {
    publish("1.2.3");
    publish("1.2.4");
    ObjectStore racing = racingOnce("v1", () -> bob().yank(ReleaseVersion.parse("1.2.3"), "bad"));
    AliasResult rollback =
        new AliasService(racing, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .rollback(AliasName.parse("v1"), null);
    assertEquals(List.of("v1: 1.2.4 -> 1.2.3", "v1: 1.2.3 -> 1.2.4"), strings(rollback));
    assertEquals(
        List.of(
            "1.2.3 was yanked while rolling back v1, and v1 has no earlier version that is not yanked, so it is back on 1.2.4."),
        rollback.warnings());
    assertEquals("1.2.4", values().get("v1"));
    assertEquals("1.2.4", kv.get("chatleo/v1").orElseThrow());
    assertEquals(
        ExitCode.NOT_FOUND,
        assertThrows(CdnpubException.class, () -> aliases.rollback(AliasName.parse("v1"), null))
            .exitCode(),
        "the yanked 1.2.3 is skipped and there is nothing earlier");
  }

  /**
   * As above with an earlier version: the rollback goes on past the yanked one, as if it saw it.
   */
  @Test
  void rollback_racingAYankOfItsTarget_goesFurtherBack() {
    publish("1.2.2");
    publish("1.2.3");
    publish("1.2.4");
    ObjectStore racing = racingOnce("v1", () -> bob().yank(ReleaseVersion.parse("1.2.3"), "bad"));
    AliasResult rollback =
        new AliasService(racing, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .rollback(AliasName.parse("v1"), null);
    assertEquals(List.of("v1: 1.2.4 -> 1.2.3", "v1: 1.2.3 -> 1.2.2"), strings(rollback));
    assertEquals(
        List.of("1.2.3 was yanked while rolling back v1; v1 went further back, to 1.2.2."),
        rollback.warnings());
    assertEquals("1.2.2", values().get("v1"));
    assertEquals("1.2.2", kv.get("chatleo/v1").orElseThrow());
  }

  /**
   * Runs both at the same moment on threads of their own; a CdnpubException counts as an answer.
   */
  static void atOnce(Runnable a, Runnable b) throws Exception {
    var start = new java.util.concurrent.CyclicBarrier(2);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (Runnable r : List.of(a, b)) {
        done.add(
            pool.submit(
                () -> {
                  start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                  try {
                    r.run();
                  } catch (CdnpubException e) {
                    // only a set that saw the yank first: refused, nothing written
                    assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
                  }
                  return null;
                }));
      }
      for (var f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Real threads, not a hook: whichever of a set (or rollback) and a yank of its version goes
   * first, the alias never ends on the yanked version while an earlier one is not yanked.
   */
  @Test
  void setAndRollback_racingAYankOnThreads_neverEndOnTheYankedVersion() throws Exception {
    publish("1.0.0");
    for (int i = 1; i <= 3; i++) {
      ReleaseVersion v = ReleaseVersion.parse("1.0." + i);
      seal(v.toString());
      atOnce(() -> aliases.set(AliasName.parse("v1.0"), v, false), () -> bob().yank(v, "bad"));
      assertEquals("1.0.0", values().get("v1.0"), "round " + i);
      assertEquals("1.0.0", kv.get("chatleo/v1.0").orElseThrow(), "round " + i);
    }
    publish("2.0.0");
    publish("2.0.1");
    publish("2.0.2");
    atOnce(
        () -> aliases.rollback(AliasName.parse("v2"), null),
        () -> bob().yank(ReleaseVersion.parse("2.0.1"), "bad"));
    assertEquals("2.0.0", values().get("v2"), "back past the yanked 2.0.1, in every order");
    assertEquals("2.0.0", kv.get("chatleo/v2").orElseThrow());
  }

  /**
   * rollback --to a version yanked while it ran: the operator chose that version, so the alias goes
   * back to where it was rather than further back than asked; later rollbacks pass over the yank.
   */
  @Test
  void rollbackTo_racingAYankOfItsTarget_putsTheAliasBackWhereItWas() {
    publish("1.2.2");
    publish("1.2.3");
    publish("1.2.4");
    ObjectStore racing = racingOnce("v1", () -> bob().yank(ReleaseVersion.parse("1.2.3"), "bad"));
    AliasResult rollback =
        new AliasService(racing, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .rollback(AliasName.parse("v1"), ReleaseVersion.parse("1.2.3"));
    assertEquals(List.of("v1: 1.2.4 -> 1.2.3", "v1: 1.2.3 -> 1.2.4"), strings(rollback));
    assertEquals(
        List.of("1.2.3 was yanked while rolling back v1 to it, so v1 is back on 1.2.4."),
        rollback.warnings());
    assertEquals("1.2.4", kv.get("chatleo/v1").orElseThrow());
    assertEquals("v1: 1.2.4 -> 1.2.2", only(aliases.rollback(AliasName.parse("v1"), null)));
  }

  /**
   * Another writer re-aims the canary between promote's read and its entry: promote exits 3 and
   * moves nothing, instead of sending everyone to a version the operator never saw.
   */
  @Test
  void promote_racingAReAimOfTheCanary_exits3AndPromotesNothing() {
    publish("1.2.3");
    seal("1.2.4");
    seal("1.2.5");
    canary("v1", "1.2.4", 50);
    ObjectStore racing =
        racingOnce(
            "v1",
            () -> bob().canary(AliasName.parse("v1"), ReleaseVersion.parse("1.2.5"), 1, false));
    CdnpubException e =
        assertThrows(
            CdnpubException.class,
            () ->
                new AliasService(racing, kv, "chatleo", CLOCK, "alice", Hints.NONE)
                    .promote(AliasName.parse("v1"), null));
    assertEquals(ExitCode.CONFLICT, e.exitCode());
    assertEquals(
        "v1 changed while promoting its canary 1.2.4 (now 1.2.3, canary 1.2.5 at 1%, canary by bob);"
            + " nothing was promoted: check cdnpub alias get v1 and promote again if still wanted.",
        e.getMessage());
    AliasEntry now = aliases.log().current("v1").orElseThrow();
    assertEquals("1.2.3", now.to());
    assertEquals(new Canary("1.2.5", 1), now.canary());
    assertEquals("1.2.3", kv.get("chatleo/v1").orElseThrow());
    assertEquals(canaryMetadata("1.2.5", 1), metadata("v1"));
  }

  /** A ramp of the same canary racing a promote changes nothing promote decides: it promotes. */
  @Test
  void promote_racingARampOfTheSameCanary_stillPromotes() {
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    ObjectStore racing =
        racingOnce(
            "v1",
            () -> bob().canary(AliasName.parse("v1"), ReleaseVersion.parse("1.2.4"), 50, false));
    AliasResult promote =
        new AliasService(racing, kv, "chatleo", CLOCK, "alice", Hints.NONE)
            .promote(AliasName.parse("v1"), null);
    assertEquals(List.of("v1: 1.2.3, canary 1.2.4 at 50% -> 1.2.4"), strings(promote));
    assertEquals(List.of("publish", "canary", "ramp", "promote"), causes("v1"));
  }

  /** promote ALIAS VERSION promotes only when VERSION is the canary; otherwise exit 3. */
  @Test
  void promote_withAVersion_thatIsNotTheCanary_exits3AndMovesNothing() {
    publish("1.2.3");
    seal("1.2.4");
    seal("1.2.5");
    canary("v1", "1.2.5", 10);
    CdnpubException e =
        assertThrows(
            CdnpubException.class,
            () -> aliases.promote(AliasName.parse("v1"), ReleaseVersion.parse("1.2.4")));
    assertEquals(ExitCode.CONFLICT, e.exitCode());
    assertEquals(
        "v1's canary is 1.2.5 at 10%, not 1.2.4; nothing was promoted (see cdnpub alias get v1).",
        e.getMessage());
    assertEquals(List.of("publish", "canary"), causes("v1"));
    assertEquals(
        "v1: 1.2.3, canary 1.2.5 at 10% -> 1.2.5",
        only(aliases.promote(AliasName.parse("v1"), ReleaseVersion.parse("1.2.5"))));
  }

  /**
   * The stable version was yanked with nothing earlier to go back to, so it stayed; a yank of the
   * canary version still ends the canary, and both the yank and a rollback ending a canary say that
   * everyone is now on a yanked version.
   */
  @Test
  void endingACanary_onAYankedStableVersion_warnsThatEveryoneGetsIt() {
    publish("1.2.3");
    seal("1.2.4");
    canary("v1", "1.2.4", 25);
    canary("latest", "1.2.4", 10);
    AliasResult stable = aliases.yank(ReleaseVersion.parse("1.2.3"), "bad");
    assertTrue(stable.changes().isEmpty(), stable.changes().toString());
    assertTrue(
        stable
            .warnings()
            .contains("v1 has no earlier version that is not yanked; it still points at 1.2.3."),
        stable.warnings().toString());

    AliasResult rollback = aliases.rollback(AliasName.parse("latest"), null);
    assertEquals("latest: 1.2.3, canary 1.2.4 at 10% -> 1.2.3", only(rollback));
    assertEquals(
        List.of(
            "latest now sends everyone to 1.2.3, which is yanked; cdnpub alias set latest VERSION points it elsewhere."),
        rollback.warnings());

    AliasResult canaryYank = aliases.yank(ReleaseVersion.parse("1.2.4"), "worse");
    assertEquals(List.of("v1: 1.2.3, canary 1.2.4 at 25% -> 1.2.3"), strings(canaryYank));
    assertEquals(
        List.of(
            "v1 now sends everyone to 1.2.3, which is yanked; cdnpub alias set v1 VERSION points it elsewhere."),
        canaryYank.warnings());
    assertEquals(null, metadata("v1"), "the yanked canary ended");
    assertEquals("worse", aliases.log().current("v1").orElseThrow().reason());
  }

  /** A canary started with --force on a yanked version can be promoted, with a warning. */
  @Test
  void promote_ofACanaryOnAYankedVersion_warnsThatEveryoneGetsIt() {
    publish("1.2.3");
    seal("1.2.4");
    aliases.yank(ReleaseVersion.parse("1.2.4"), "bad");
    aliases.canary(AliasName.parse("v1"), ReleaseVersion.parse("1.2.4"), 5, true);
    AliasResult promote = aliases.promote(AliasName.parse("v1"), null);
    assertEquals("v1: 1.2.3, canary 1.2.4 at 5% -> 1.2.4", only(promote));
    assertEquals(
        List.of(
            "v1 now sends everyone to 1.2.4, which is yanked; cdnpub alias set v1 VERSION points it elsewhere."),
        promote.warnings());
  }

  /**
   * A move is written to KV from the entry it appended: the log of each alias is listed once to
   * decide the move and once after the KV write (to catch a writer that came after it), not a third
   * time to find what was just written. At R2's round trips that is two requests fewer per alias on
   * every publish, set, rollback and yank. Correctness against racing writers is the race tests'.
   */
  @Test
  void move_writesKvFromTheEntryItAppended_listingEachAliasLogTwice_readingItOnce() {
    publish("1.0.0");
    seal("1.1.0");
    java.util.concurrent.ConcurrentHashMap<String, Integer> lists =
        new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicInteger entryReads =
        new java.util.concurrent.atomic.AtomicInteger();
    ObjectStore counting =
        new dev.cdnpub.testing.ForwardingStore(store) {
          @Override
          public List<String> list(String prefix) {
            if (prefix.contains("/aliases/")) {
              lists.merge(prefix.substring(prefix.indexOf("/aliases/") + 9), 1, Integer::sum);
            }
            return super.list(prefix);
          }

          @Override
          public java.util.Optional<byte[]> read(String key) {
            if (key.contains("/aliases/")) {
              entryReads.incrementAndGet();
            }
            return super.read(key);
          }
        };
    AliasService counted = new AliasService(counting, kv, "chatleo", CLOCK, "alice", Hints.NONE);

    counted.set(AliasName.parse("v1"), ReleaseVersion.parse("1.1.0"), false);
    assertEquals(Map.of("v1/", 2), lists, "lists of the alias log for one set");
    // The entry the move decides from; the check after the KV write lists without reading.
    assertEquals(1, entryReads.get(), "alias entries read for one set");
    assertEquals("1.1.0", kvValues().get("v1"));

    lists.clear();
    counted.onPublish(ReleaseVersion.parse("1.1.0"), List.of(), true);
    // latest and v1.1 move: two each. v1 is on 1.1.0 already: one list decides that nothing moves,
    // and KV is still rewritten from the log (a read and the check after it)
    assertEquals(Map.of("latest/", 2, "v1/", 3, "v1.1/", 2), lists, "lists for one publish");
    assertEquals(values(), kvValues());
  }

  /**
   * Another writer moves the alias (and writes KV) after this command appended its move and before
   * its KV write lands: the check after that write lists a newer entry, reads it and writes it in
   * turn, so KV ends on the log's newest.
   */
  @Test
  void aMoveThatLandsDuringTheKvWrite_isWrittenToKvInTurn() {
    publish("1.0.0");
    seal("1.1.0");
    AliasService other = new AliasService(store, kv, "chatleo", CLOCK, "bob", Hints.NONE);
    java.util.concurrent.atomic.AtomicBoolean raced =
        new java.util.concurrent.atomic.AtomicBoolean();
    AliasKv racing =
        new AliasKv() {
          @Override
          public void put(String key, String version, Canary canary) {
            if (key.equals("chatleo/v1") && raced.compareAndSet(false, true)) {
              // bob's whole set, KV write included, lands after alice's append and before her KV
              // write lands: KV then holds alice's older value until her check finds bob's entry
              other.set(AliasName.parse("v1"), ReleaseVersion.parse("1.0.0"), true);
            }
            kv.put(key, version, canary);
          }

          @Override
          public java.util.Optional<String> get(String key) {
            return kv.get(key);
          }

          @Override
          public java.util.Optional<String> metadata(String key) {
            return kv.metadata(key);
          }

          @Override
          public String describe() {
            return kv.describe();
          }
        };
    new AliasService(store, racing, "chatleo", CLOCK, "alice", Hints.NONE)
        .set(AliasName.parse("v1"), ReleaseVersion.parse("1.1.0"), false);
    assertTrue(raced.get());
    assertEquals("1.0.0", values().get("v1"), "bob's move is the newest in the log");
    assertEquals("1.0.0", kvValues().get("v1"), "and KV ends on it");
  }
}
