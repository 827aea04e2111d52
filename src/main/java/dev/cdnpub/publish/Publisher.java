package dev.cdnpub.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.core.Threads;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.Discarded;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.store.Reads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Executes a {@link PublishPlan}: claim, upload, seal, each step a create-only write.
 *
 * <ol>
 *   <li><b>Seal check.</b> A manifest with the same digest means the release is done: nothing to
 *       do. One with another digest means the version is taken: exit 3.
 *   <li><b>Claim.</b> Create the claim object. If it exists, the version belongs to whichever file
 *       set it names: the same digest resumes an interrupted publish (or joins a concurrent
 *       identical one); another digest exits 3 before a single file is written, so two racing
 *       publishers with different content never mix files. A claim this run created is created a
 *       second time, which the store must refuse: a store that ignores {@code If-None-Match: *} is
 *       refused (exit 2) before any file is written. A resumed publish first aborts the multipart
 *       uploads an earlier run left open under the version's prefix.
 *   <li><b>Upload</b> every file create-only, in parallel. A file already there must carry this
 *       release's sha256, otherwise the prefix holds foreign content: exit 3. A resume lists the
 *       version's prefix once (one LIST per 1,000 keys) and looks (HEAD) only at the files listed,
 *       to check their sha256; the others it creates.
 *   <li><b>Seal.</b> Create the manifest. Only now is the version listed and usable by aliases.
 * </ol>
 *
 * Interrupted anywhere, a re-run with the same content completes the release; nothing is ever
 * overwritten or deleted.
 */
public final class Publisher {
  private final ObjectStore store;
  private final Clock clock;
  private final UploadConcurrency concurrency;
  private final PublishListener listener;

  /** A publisher that keeps {@code concurrency} uploads in flight. */
  public Publisher(ObjectStore store, Clock clock, int concurrency, PublishListener listener) {
    this(store, clock, UploadConcurrency.fixed(concurrency), listener);
  }

  public Publisher(
      ObjectStore store, Clock clock, UploadConcurrency concurrency, PublishListener listener) {
    this.store = store;
    this.clock = clock;
    this.concurrency = concurrency;
    this.listener = listener;
  }

  public PublishResult publish(PublishPlan plan) {
    return publish(plan, readManifest(store, plan.manifestKey()));
  }

  /**
   * As {@link #publish(PublishPlan)}, with the seal check's read done by the caller (who may do it
   * while the plan is hashed).
   *
   * @param sealed the version's manifest as read from this store just before, if any
   */
  public PublishResult publish(PublishPlan plan, Optional<Manifest> sealed) {
    String name = plan.library() + " " + plan.version();
    String run = UUID.randomUUID().toString();

    if (sealed.isPresent()) {
      requireSameDigest(plan, sealed.get().digest(), name + " is already published");
      return new PublishResult(
          PublishResult.Status.ALREADY_PUBLISHED, plan, 0, 0, plan.files().size(), 0, false, 0);
    }

    tell(() -> listener.phase("claim", plan.claimKey()));
    Body claim = json(Claim.of(plan, now(), run));
    // The create-only proof travels beside the claim (one round trip instead of two). It only
    // counts when the claim is created; a resume ignores it (one refused write of the probe).
    // Both requests are timed: the shorter is the round trip the upload concurrency is chosen from.
    AtomicLong roundTrip = new AtomicLong(Long.MAX_VALUE);
    CompletableFuture<Boolean> createOnly =
        Threads.start("cdnpub-probe", () -> refusesSecondCreate(roundTrip));
    CreateResult claimed =
        timed(roundTrip, () -> store.createIfAbsent(plan.claimKey(), claim, ObjectMetadata.RECORD));
    boolean resuming = false;
    if (claimed == CreateResult.CREATED) {
      requireCreateOnly(Threads.join(createOnly, "the create-only check"));
    } else {
      Claim existing = readTaken(plan.claimKey(), Claim.class, name);
      requireSameDigest(
          plan,
          existing.digest(),
          name + " is claimed (since " + existing.claimedAt() + ", not yet sealed) by a publish");
      // Our own claim seen again: its answer was lost and the SDK's retry met it; no earlier run.
      resuming = !run.equals(existing.run());
    }

    Discarded discarded =
        resuming ? store.abortInterruptedUploads(plan.prefix()) : Discarded.NOTHING;
    if (discarded.count() > 0) {
      tell(() -> listener.phase("clean", discarded.summary()));
    }
    // A resume lists what the earlier run stored (one LIST per 1,000 keys) instead of asking file
    // by
    // file: only files listed there are looked at (HEAD, for their sha256), the others are created.
    Set<String> stored = resuming ? new HashSet<>(store.list(plan.prefix())) : Set.of();
    long earlier = plan.files().stream().filter(f -> stored.contains(f.key())).count();
    // The store's own measure on the wire leaves out the client's cold start; else the calls'.
    long measured = store.roundTripMillis().orElse(roundTrip.get());
    boolean tls = store.connectsOverTls();
    int inFlight = concurrency.forRoundTrip(measured, (int) (plan.files().size() - earlier), tls);
    String detail =
        plan.files().size()
            + " files, "
            + plan.totalBytes()
            + " bytes, "
            + inFlight
            + " at a time"
            + (concurrency.chosen()
                ? " (from a " + measured + " ms round trip" + (tls ? ", over TLS" : "") + ")"
                : "")
            + (resuming ? " (resuming; " + earlier + " stored by an earlier run)" : "");
    tell(() -> listener.phase("upload", detail));
    UploadTally tally = uploadAll(plan, stored, run, inFlight);

    tell(() -> listener.phase("seal", plan.manifestKey()));
    CreateResult seal =
        store.createIfAbsent(
            plan.manifestKey(), json(Manifest.of(plan, now())), ObjectMetadata.RECORD);
    if (seal == CreateResult.ALREADY_EXISTS) {
      // A concurrent publish of the same content sealed first; confirm it really is the same.
      Manifest other = readTaken(plan.manifestKey(), Manifest.class, name);
      requireSameDigest(plan, other.digest(), name + " was sealed concurrently");
    }
    return new PublishResult(
        PublishResult.Status.PUBLISHED,
        plan,
        tally.created.get(),
        tally.confirmed.get(),
        tally.present.get(),
        tally.bytes.get(),
        !resuming,
        discarded.count());
  }

  /**
   * Every guarantee rests on create-only writes, so before the first file the store must show that
   * it refuses a create of a key that exists. The proof is kept per bucket in {@link Keys#PROBE}: a
   * create of it answered "already exists" is the proof by itself (one refused write); only the
   * first publish in a bucket creates it and then creates it once more, which must be refused. A
   * store (or a proxy in front of it) that ignores {@code If-None-Match: *} accepts every create,
   * and would let racing publishers overwrite each other: it is refused before any file is written.
   * One key per bucket also keeps R2's one-write-per-second-per-key limit out of the way.
   */
  private boolean refusesSecondCreate(AtomicLong roundTrip) {
    Body probe = Body.ofBytes(PROBE_BODY);
    CreateResult first =
        timed(roundTrip, () -> store.createIfAbsent(Keys.PROBE, probe, ObjectMetadata.RECORD));
    return first == CreateResult.ALREADY_EXISTS
        || store.createIfAbsent(Keys.PROBE, probe, ObjectMetadata.RECORD)
            == CreateResult.ALREADY_EXISTS;
  }

  /** What {@code call} returns; its duration (ms) goes into {@code shortest} when shorter. */
  private <T> T timed(AtomicLong shortest, Supplier<T> call) {
    long start = clock.millis();
    T result = call.get();
    shortest.accumulateAndGet(clock.millis() - start, Math::min);
    return result;
  }

  private void requireCreateOnly(boolean refusesSecondCreate) {
    if (refusesSecondCreate) {
      return;
    }
    throw CdnpubException.usage(
        store.describe()
            + " accepted a second create of "
            + Keys.PROBE
            + ", so it ignores If-None-Match: *; cdnpub needs "
            + "create-only writes (conditional PUT, as R2 and S3 support) to keep versions immutable. No file was written.");
  }

  private static final byte[] PROBE_BODY =
      "cdnpub checks here that this store refuses a second create of a key (If-None-Match: *).\n"
          .getBytes(StandardCharsets.UTF_8);

  private static final class UploadTally {
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger confirmed = new AtomicInteger();
    final AtomicInteger present = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
  }

  private UploadTally uploadAll(PublishPlan plan, Set<String> stored, String run, int inFlight) {
    UploadTally tally = new UploadTally();
    ExecutorService pool = Threads.pool(Math.min(inFlight, plan.files().size()), "cdnpub-upload");
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (PlannedFile file : plan.files()) {
        futures.add(pool.submit(() -> upload(file, tally, stored, run)));
      }
      // Wait for every upload, so a failure is reported with how far the release got and nothing is
      // left running; the first failure (by plan order) decides the exit code.
      List<CdnpubException> failures = new ArrayList<>();
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          failures.add(asCdnpubException(e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CdnpubException(ExitCode.INTERNAL, "interrupted while uploading", e);
        }
      }
      if (!failures.isEmpty()) {
        CdnpubException first =
            failures.stream()
                .filter(f -> f.exitCode() == ExitCode.CONFLICT)
                .findFirst()
                .orElse(failures.get(0));
        throw new CdnpubException(
            first.exitCode(),
            failures.size()
                + " of "
                + plan.files().size()
                + " files failed, the version is not sealed"
                + (first.exitCode() == ExitCode.CONFLICT
                    ? ""
                    : "; re-run the same publish to finish it")
                + ". First failure: "
                + first.getMessage(),
            first);
      }
      return tally;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Stores one file. A file that the resume's listing ({@code stored}) shows is looked at first
   * (one HEAD) instead of being re-sent only to be refused with 412 (billed as a write); its sha256
   * and size are checked exactly as for a file found on create. A file not listed is created; if it
   * appeared meanwhile (an identical publish running concurrently), the create is refused and the
   * same check follows. The listing never vouches for content: only the HEAD's sha256 does.
   */
  private void upload(PlannedFile file, UploadTally tally, Set<String> stored, String run) {
    ObjectMetadata metadata =
        new ObjectMetadata(
            file.contentType(),
            PublishPlan.CACHE_CONTROL,
            Map.of("sha256", file.sha256(), "run", run));
    Optional<ObjectInfo> earlier =
        stored.contains(file.key()) ? store.stat(file.key()) : Optional.empty();
    CreateResult result =
        earlier.isPresent()
            ? CreateResult.ALREADY_EXISTS
            : store.createIfAbsent(
                file.key(), Body.ofFile(file.source(), file.size(), file.md5Base64()), metadata);
    boolean storedByThisRun = result == CreateResult.CREATED;
    if (!storedByThisRun) {
      ObjectInfo info = earlier.isPresent() ? earlier.get() : store.stat(file.key()).orElse(null);
      String storedSha = info == null ? null : info.userMetadata().get("sha256");
      if (info == null || info.size() != file.size() || !file.sha256().equals(storedSha)) {
        throw CdnpubException.conflict(
            file.key()
                + " already exists with other content; the version's prefix is not this release's.");
      }
      // This run's id on it: this run stored it, the answer was lost and a retry found it there.
      storedByThisRun = run.equals(info.userMetadata().get("run"));
      (storedByThisRun ? tally.confirmed : tally.present).incrementAndGet();
    }
    if (storedByThisRun) {
      tally.created.incrementAndGet();
      tally.bytes.addAndGet(file.size());
    }
    boolean created = storedByThisRun;
    tell(() -> listener.fileDone(file, created));
  }

  /** Tells the listener something; what it throws is ignored (see PublishListener). */
  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // a listener must not break a publish half-way
    }
  }

  private static CdnpubException asCdnpubException(Throwable t) {
    return t instanceof CdnpubException c
        ? c
        : new CdnpubException(ExitCode.INTERNAL, "upload failed: " + t, t);
  }

  private static void requireSameDigest(PublishPlan plan, String existingDigest, String what) {
    if (!plan.digest().equals(existingDigest)) {
      throw CdnpubException.conflict(
          what
              + " with other content ("
              + existingDigest
              + ", this folder is "
              + plan.digest()
              + "); a version is never overwritten: publish a new version.");
    }
  }

  /** The sealed manifest of a version, if any. */
  public static Optional<Manifest> readManifest(ObjectStore store, String key) {
    return store.read(key).map(bytes -> parse(bytes, key, Manifest.class));
  }

  /**
   * Reads a record whose create-only write was just refused. A concurrent writer's upload may not
   * be readable yet (S3 answers 409 while it is in progress), so this waits a few seconds; if the
   * record is still absent, the other publish is taken to be running and this one loses (exit 3).
   */
  private <T> T readTaken(String key, Class<T> type, String name) {
    return Reads.eventually(store, key)
        .map(bytes -> parse(bytes, key, type))
        .orElseThrow(
            () ->
                CdnpubException.conflict(
                    name
                        + " is being published concurrently by another run ("
                        + key
                        + " is taken but not readable yet); re-run this publish when it has finished."));
  }

  static <T> T parse(byte[] bytes, String key, Class<T> type) {
    try {
      return Jackson.MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "record " + key + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Body json(Object value) {
    try {
      return Body.ofBytes(Jackson.PRETTY.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new CdnpubException(ExitCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
    }
  }

  private String now() {
    return Threads.timestamp(clock);
  }
}
