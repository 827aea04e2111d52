package dev.cdnpub.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.ForwardingStore;
import dev.cdnpub.testing.InterruptingStore;
import dev.cdnpub.testing.StoreSnapshot;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claim, upload, seal: the immutability guarantees, run against every store adapter. */
abstract class PublisherContract {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  static final ReleaseVersion V123 = ReleaseVersion.parse("1.2.3");

  @TempDir Path tmp;

  abstract ObjectStore newStore() throws Exception;

  PublishPlan plan(Path dir, String version) {
    return PublishPlanner.plan(dir, "chatleo", ReleaseVersion.parse(version), false);
  }

  static PublishResult publish(ObjectStore store, PublishPlan plan) {
    return new Publisher(store, CLOCK, 4, PublishListener.NONE).publish(plan);
  }

  /** Publishes, adding "name: detail" of every phase the publisher announces to {@code phases}. */
  static PublishResult publish(ObjectStore store, PublishPlan plan, List<String> phases) {
    PublishListener listener =
        new PublishListener() {
          @Override
          public void phase(String name, String detail) {
            synchronized (phases) {
              phases.add(name + ": " + detail);
            }
          }
        };
    return new Publisher(store, CLOCK, 4, listener).publish(plan);
  }

  @Test
  void publish_newVersion_storesEveryFileWithImmutableCachingAndSealsIt() throws Exception {
    Path dir =
        TestFiles.write(
            tmp.resolve("dist"),
            Map.of(
                "loader.js",
                "x()",
                "esm/a.mjs",
                "export{}",
                "a.wasm",
                "\0asm",
                "types/index.d.ts",
                "export {}"));
    try (ObjectStore store = newStore()) {
      PublishResult result = publish(store, plan(dir, "1.2.3"));
      assertEquals(PublishResult.Status.PUBLISHED, result.status());
      assertEquals(4, result.uploaded());
      assertArrayEquals("x()".getBytes(), store.read("v1.2.3/chatleo/loader.js").orElseThrow());
      var info = store.stat("v1.2.3/chatleo/esm/a.mjs").orElseThrow();
      assertContentType("text/javascript; charset=utf-8", info.contentType());
      assertEquals("public, max-age=31536000, immutable", info.cacheControl());
      assertContentType(
          "application/wasm", store.stat("v1.2.3/chatleo/a.wasm").orElseThrow().contentType());
      assertContentType(
          "text/plain; charset=utf-8",
          store.stat("v1.2.3/chatleo/types/index.d.ts").orElseThrow().contentType());
      Manifest manifest = new ReleaseCatalog(store).manifest("chatleo", V123).orElseThrow();
      assertEquals(4, manifest.files().size());
      assertEquals(List.of(V123), new ReleaseCatalog(store).sealedVersions("chatleo"));
      var loader =
          manifest.files().stream()
              .filter(f -> f.path().equals("loader.js"))
              .findFirst()
              .orElseThrow();
      assertEquals(
          "sha384-"
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      dev.cdnpub.store.Digests.digest("SHA-384").digest("x()".getBytes())),
          loader.integrity());
    }
  }

  /**
   * S3Proxy answers some types without the space after ';' (text/plain;charset=utf-8); the exact
   * header cdnpub sends is asserted by S3ObjectStoreRequestTest.
   */
  static void assertContentType(String expected, String actual) {
    assertEquals(expected, actual == null ? null : actual.replace(";charset", "; charset"));
  }

  @Test
  void publish_identicalContentAgain_isNoOpSuccess() throws Exception {
    Path dir = TestFiles.library(tmp.resolve("dist"), "a", 5);
    try (ObjectStore store = newStore()) {
      publish(store, plan(dir, "1.2.3"));
      Map<String, String> before = StoreSnapshot.of(store);
      // the same content from another folder is the same release
      Path copy = TestFiles.library(tmp.resolve("copy"), "a", 5);
      PublishResult again = publish(store, plan(copy, "1.2.3"));
      assertEquals(PublishResult.Status.ALREADY_PUBLISHED, again.status());
      assertEquals(0, again.uploaded());
      assertEquals(before, StoreSnapshot.of(store));
    }
  }

  @Test
  void publish_existingVersionWithDifferentContent_refusesAndChangesNothing() throws Exception {
    try (ObjectStore store = newStore()) {
      publish(store, plan(TestFiles.library(tmp.resolve("a"), "a", 5), "1.2.3"));
      Map<String, String> before = StoreSnapshot.of(store);
      for (Path other :
          List.of(
              TestFiles.library(tmp.resolve("b"), "b", 5), // same paths, other content
              TestFiles.library(tmp.resolve("c"), "a", 6), // one file more
              TestFiles.library(tmp.resolve("d"), "a", 4))) { // one file fewer
        CdnpubException e =
            assertThrows(CdnpubException.class, () -> publish(store, plan(other, "1.2.3")));
        assertEquals(ExitCode.CONFLICT, e.exitCode());
        assertTrue(e.getMessage().contains("already published with other content"), e.getMessage());
        assertEquals(before, StoreSnapshot.of(store));
      }
    }
  }

  @Test
  void publish_claimedButUnsealedVersionWithDifferentContent_refusesBeforeWritingAnyFile()
      throws Exception {
    try (ObjectStore store = newStore()) {
      PublishPlan first = plan(TestFiles.library(tmp.resolve("a"), "a", 5), "1.2.3");
      // the first publish dies right after its claim and two files
      assertThrows(CdnpubException.class, () -> publish(new InterruptingStore(store, 3), first));
      Map<String, String> before = StoreSnapshot.of(store);
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () -> publish(store, plan(TestFiles.library(tmp.resolve("b"), "b", 5), "1.2.3")));
      assertEquals(ExitCode.CONFLICT, e.exitCode());
      assertTrue(e.getMessage().contains("is claimed"), e.getMessage());
      assertEquals(before, StoreSnapshot.of(store));
      // and the owner can still finish it
      assertEquals(PublishResult.Status.PUBLISHED, publish(store, first).status());
    }
  }

  /**
   * A store (or proxy) that ignores If-None-Match: every create "succeeds", even over an object.
   */
  static ObjectStore ignoringCreateOnly(ObjectStore store) {
    return new ForwardingStore(store) {
      @Override
      public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
        super.createIfAbsent(key, body, metadata);
        return CreateResult.CREATED;
      }
    };
  }

  @Test
  void publish_storeThatIgnoresCreateOnly_isRefusedWithExit2BeforeAnyFile() throws Exception {
    Path dir = TestFiles.library(tmp.resolve("dist"), "p", 3);
    PublishPlan plan = plan(dir, "1.2.3");
    try (ObjectStore store = newStore()) {
      CdnpubException e =
          assertThrows(CdnpubException.class, () -> publish(ignoringCreateOnly(store), plan));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("If-None-Match: *"), e.getMessage());
      assertEquals(
          List.of(plan.claimKey(), Keys.PROBE),
          store.list(""),
          "only the claim (with this content) and the probe exist");
      // The claim is this content's: on a store that honours create-only writes, it resumes.
      assertEquals(PublishResult.Status.PUBLISHED, publish(store, plan).status());
    }
  }

  /**
   * An answer lost on the way back: the store kept the object and the SDK's retry met it (412).
   * Such files were stored by this run and are counted so, never as "already there".
   */
  @Test
  void publish_lostAnswers_areCountedAsStoredByThisRun_notAsAnEarlierRunsFiles() throws Exception {
    Path dir = TestFiles.library(tmp.resolve("dist"), "l", 4);
    PublishPlan plan = plan(dir, "1.2.3");
    try (ObjectStore store = newStore()) {
      ObjectStore losingAnswers =
          new ForwardingStore(store) {
            @Override
            public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
              CreateResult result = super.createIfAbsent(key, body, metadata);
              boolean lose =
                  key.equals(plan.claimKey())
                      || key.endsWith("/loader.js")
                      || key.endsWith("/chunk-1.js");
              return lose && result == CreateResult.CREATED
                  ? super.createIfAbsent(key, body, metadata)
                  : result;
            }
          };
      PublishResult result = publish(losingAnswers, plan);
      assertEquals(PublishResult.Status.PUBLISHED, result.status());
      assertTrue(
          result.firstRun(), "the claim whose answer was lost is still this run's: not a resume");
      assertEquals(plan.files().size(), result.uploaded());
      assertEquals(2, result.confirmedAfterLostAnswer());
      assertEquals(0, result.alreadyPresent());
      assertEquals(
          plan.files().stream().mapToLong(PlannedFile::size).sum(), result.bytesUploaded());
    }
  }

  /**
   * Kill the publish after every possible number of writes; a re-run with the same content
   * completes.
   */
  @Test
  void publish_interruptedAtAnyPoint_rerunCompletesAndSeals() throws Exception {
    Path dir = TestFiles.library(tmp.resolve("dist"), "r", 4);
    PublishPlan plan = plan(dir, "2.0.0");
    int writes =
        plan.files().size() + 4; // claim, the probe created twice (a new store), files, manifest
    for (int allowed = 0; allowed < writes; allowed++) {
      try (ObjectStore store = newStore()) {
        int n = allowed;
        CdnpubException e =
            assertThrows(
                CdnpubException.class,
                () ->
                    new Publisher(new InterruptingStore(store, n), CLOCK, 1, PublishListener.NONE)
                        .publish(plan));
        assertEquals(ExitCode.REMOTE, e.exitCode());
        assertTrue(
            new ReleaseCatalog(store).sealedVersions("chatleo").isEmpty(),
            "not sealed after " + n + " writes");
        var fileWrites = new java.util.concurrent.atomic.AtomicInteger();
        ObjectStore counting =
            new dev.cdnpub.testing.ForwardingStore(store) {
              @Override
              public dev.cdnpub.store.CreateResult createIfAbsent(
                  String key,
                  dev.cdnpub.store.Body body,
                  dev.cdnpub.store.ObjectMetadata metadata) {
                if (key.startsWith("v2.0.0/")) {
                  fileWrites.incrementAndGet();
                }
                return super.createIfAbsent(key, body, metadata);
              }
            };
        PublishResult rerun = publish(counting, plan);
        assertEquals(PublishResult.Status.PUBLISHED, rerun.status(), "after " + n + " writes");
        assertEquals(
            plan.files().size() - Math.max(0, n - 3),
            fileWrites.get(),
            "a resume sends only the files the first run did not store");
        assertEquals(
            Math.max(0, n - 3),
            rerun.alreadyPresent(),
            "files kept from the first run after " + n + " writes");
        for (PlannedFile f : plan.files()) {
          assertArrayEquals(Files.readAllBytes(f.source()), store.read(f.key()).orElseThrow());
        }
        assertEquals(
            List.of(ReleaseVersion.parse("2.0.0")),
            new ReleaseCatalog(store).sealedVersions("chatleo"));
      }
    }
  }

  /**
   * A resume lists the version's prefix once and looks (HEAD) only at the files that listing shows,
   * instead of one HEAD per file: the files the earlier run did not store are simply created.
   */
  @Test
  void publish_resume_listsThePrefixOnceAndLooksOnlyAtStoredFiles() throws Exception {
    Path dir = TestFiles.library(tmp.resolve("dist"), "r", 6);
    PublishPlan plan = plan(dir, "2.1.0");
    try (ObjectStore store = newStore()) {
      // claim, the probe created twice (a new store), then 3 files: the earlier run dies there
      assertThrows(
          CdnpubException.class,
          () ->
              new Publisher(new InterruptingStore(store, 6), CLOCK, 1, PublishListener.NONE)
                  .publish(plan));
      List<String> storedEarlier = store.list(plan.prefix());
      assertEquals(3, storedEarlier.size());
      List<String> lists = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> stats = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> creates = java.util.Collections.synchronizedList(new ArrayList<>());
      ObjectStore watching =
          new ForwardingStore(store) {
            @Override
            public List<String> list(String prefix) {
              lists.add(prefix);
              return super.list(prefix);
            }

            @Override
            public java.util.Optional<dev.cdnpub.store.ObjectInfo> stat(String key) {
              stats.add(key);
              return super.stat(key);
            }

            @Override
            public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
              creates.add(key);
              return super.createIfAbsent(key, body, metadata);
            }
          };
      PublishResult rerun = publish(watching, plan);
      assertEquals(PublishResult.Status.PUBLISHED, rerun.status());
      assertEquals(3, rerun.alreadyPresent());
      assertEquals(3, rerun.uploaded());
      assertEquals(List.of(plan.prefix()), lists, "one listing of the version's prefix");
      assertEquals(
          storedEarlier,
          stats.stream().sorted().toList(),
          "a HEAD for each stored file, and only those");
      assertTrue(
          creates.stream().noneMatch(storedEarlier::contains),
          "no stored file is sent again: " + creates);
      for (PlannedFile f : plan.files()) {
        assertArrayEquals(Files.readAllBytes(f.source()), store.read(f.key()).orElseThrow());
      }
    }
  }

  /**
   * A listed file is still checked by its sha256: foreign content under a resumed prefix exits 3.
   */
  @Test
  void publish_resume_listedFileWithForeignContent_isConflict() throws Exception {
    Path dir = TestFiles.library(tmp.resolve("dist"), "r", 4);
    PublishPlan plan = plan(dir, "2.2.0");
    try (ObjectStore store = newStore()) {
      assertThrows(
          CdnpubException.class,
          () ->
              new Publisher(new InterruptingStore(store, 2), CLOCK, 1, PublishListener.NONE)
                  .publish(plan));
      PlannedFile victim = plan.files().get(1);
      store.createIfAbsent(
          victim.key(),
          Body.ofBytes("evil".getBytes()),
          new ObjectMetadata("text/javascript", "x", Map.of()));
      CdnpubException e = assertThrows(CdnpubException.class, () -> publish(store, plan));
      assertEquals(ExitCode.CONFLICT, e.exitCode());
      assertTrue(e.getMessage().contains(victim.key()), e.getMessage());
      assertTrue(new ReleaseCatalog(store).sealedVersions("chatleo").isEmpty());
      assertArrayEquals("evil".getBytes(), store.read(victim.key()).orElseThrow());
    }
  }

  @Test
  void publish_fileUnderClaimedPrefixWithForeignContent_isConflict() throws Exception {
    try (ObjectStore store = newStore()) {
      PublishPlan plan = plan(TestFiles.library(tmp.resolve("a"), "a", 3), "1.0.0");
      store.createIfAbsent(
          "v1.0.0/chatleo/loader.js",
          dev.cdnpub.store.Body.ofBytes("evil".getBytes()),
          new dev.cdnpub.store.ObjectMetadata("text/javascript", "x", Map.of()));
      CdnpubException e = assertThrows(CdnpubException.class, () -> publish(store, plan));
      assertEquals(ExitCode.CONFLICT, e.exitCode());
      assertTrue(new ReleaseCatalog(store).sealedVersions("chatleo").isEmpty());
      assertArrayEquals("evil".getBytes(), store.read("v1.0.0/chatleo/loader.js").orElseThrow());
    }
  }

  /** Two publishers race one version with different content: one wins whole, the other exits 3. */
  @Test
  void publish_racingDifferentContent_exactlyOneWinsAndNoFilesMix() throws Exception {
    for (int trial = 0; trial < 6; trial++) {
      try (ObjectStore store = newStore()) {
        PublishPlan a = plan(TestFiles.library(tmp.resolve("ra" + trial), "A" + trial, 8), "3.0.0");
        PublishPlan b = plan(TestFiles.library(tmp.resolve("rb" + trial), "B" + trial, 8), "3.0.0");
        List<Object> outcomes = race(store, a, b);
        long wins = outcomes.stream().filter(o -> o instanceof PublishResult).count();
        assertEquals(1, wins, "trial " + trial + ": " + outcomes);
        PublishPlan winner = outcomes.get(0) instanceof PublishResult ? a : b;
        Object loser = outcomes.get(0) instanceof PublishResult ? outcomes.get(1) : outcomes.get(0);
        assertTrue(
            loser instanceof CdnpubException c && c.exitCode() == ExitCode.CONFLICT,
            "loser: " + loser);
        for (String key : store.list("v3.0.0/")) {
          PlannedFile f =
              winner.files().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
          assertArrayEquals(Files.readAllBytes(f.source()), store.read(key).orElseThrow(), key);
        }
        assertEquals(winner.files().size(), store.list("v3.0.0/").size());
        assertEquals(
            winner.digest(),
            new ReleaseCatalog(store)
                .manifest("chatleo", ReleaseVersion.parse("3.0.0"))
                .orElseThrow()
                .digest());
      }
    }
  }

  @Test
  void publish_racingIdenticalContent_bothSucceed() throws Exception {
    try (ObjectStore store = newStore()) {
      PublishPlan a = plan(TestFiles.library(tmp.resolve("sa"), "S", 8), "3.1.0");
      PublishPlan b = plan(TestFiles.library(tmp.resolve("sb"), "S", 8), "3.1.0");
      List<Object> outcomes = race(store, a, b);
      assertTrue(outcomes.stream().allMatch(o -> o instanceof PublishResult), outcomes.toString());
      assertFalse(new ReleaseCatalog(store).sealedVersions("chatleo").isEmpty());
    }
  }

  private static List<Object> race(ObjectStore store, PublishPlan a, PublishPlan b)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    for (PublishPlan p : List.of(a, b)) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  return publish(store, p);
                } catch (CdnpubException e) {
                  return e;
                }
              }));
    }
    go.countDown();
    List<Object> outcomes = new ArrayList<>();
    for (Future<Object> f : futures) {
      outcomes.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    return outcomes;
  }

  /** Uploads run in parallel, never more at once than the concurrency asked for. */
  @Test
  void publish_uploadsInParallelWithinTheConcurrencyBound() throws Exception {
    PublishPlan plan = plan(TestFiles.library(tmp.resolve("many"), "m", 24), "4.0.0");
    try (ObjectStore store = newStore()) {
      var inFlight = new java.util.concurrent.atomic.AtomicInteger();
      var maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
      // Each upload waits (bounded) until `concurrency` uploads are in flight, so parallelism is
      // observed deterministically rather than by timing.
      int concurrency = 4;
      var allIn = new java.util.concurrent.CyclicBarrier(concurrency);
      ObjectStore counting =
          new dev.cdnpub.testing.ForwardingStore(store) {
            @Override
            public dev.cdnpub.store.CreateResult createIfAbsent(
                String key, dev.cdnpub.store.Body body, dev.cdnpub.store.ObjectMetadata metadata) {
              if (!key.startsWith("v4.0.0/")) {
                return super.createIfAbsent(key, body, metadata);
              }
              int now = inFlight.incrementAndGet();
              maxInFlight.accumulateAndGet(now, Math::max);
              try {
                allIn.await(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                // the last, partial round cannot fill the barrier; go on
              }
              try {
                return super.createIfAbsent(key, body, metadata);
              } finally {
                inFlight.decrementAndGet();
              }
            }
          };
      new Publisher(counting, CLOCK, concurrency, PublishListener.NONE).publish(plan);
      assertEquals(
          concurrency,
          maxInFlight.get(),
          "uploads ran in parallel, up to the bound and not beyond");
      assertEquals(24, store.list("v4.0.0/").size());
    }
  }
}
