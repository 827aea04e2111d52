package dev.cdnpub.app;

import dev.cdnpub.alias.AliasKv;
import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.alias.AliasService;
import dev.cdnpub.config.Settings;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.config.TargetKind;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.Threads;
import dev.cdnpub.publish.DirectoryScanner;
import dev.cdnpub.publish.Keys;
import dev.cdnpub.publish.Manifest;
import dev.cdnpub.publish.PublishListener;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.PublishPlanner;
import dev.cdnpub.publish.PublishResult;
import dev.cdnpub.publish.Publisher;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.publish.SourceFile;
import dev.cdnpub.publish.UploadConcurrency;
import dev.cdnpub.store.NativeCrypto;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.store.S3ObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Publish a release: plan (every check, no network), then claim, upload and seal, then move the
 * aliases. A dry run stops after the plan. Everything the plan refuses is refused before the first
 * write.
 */
public final class PublishRelease {
  /**
   * @param version the version; null: CDNPUB_VERSION, else the version in ./package.json
   * @param tags named tags to point at the version besides latest/vN/vN.M
   * @param actor who publishes, for the alias history (null: from the environment)
   */
  public record Request(
      SettingsResolver.Flags target,
      Path dir,
      String version,
      boolean includeHidden,
      OptionalInt concurrency,
      long multipartThreshold,
      boolean dryRun,
      List<String> tags,
      boolean noAliases,
      String actor) {}

  /**
   * @param outcome what the publish did; null for a dry run
   * @param credentialsMissing secret variables the real publish needs and that are not set (dry
   *     run)
   * @param aliasStore where aliases live ({@code AliasKv.describe()}); null when none were moved
   * @param versionSource where the version came from: --version, CDNPUB_VERSION or package.json
   */
  public record Result(
      Settings settings,
      PublishPlan plan,
      String versionSource,
      long multipartThreshold,
      List<AliasName> tags,
      List<String> credentialsMissing,
      PublishResult outcome,
      AliasResult aliases,
      String aliasStore,
      List<String> routesNeeded) {

    public boolean dryRun() {
      return outcome == null;
    }
  }

  /** What a publish tells while it runs (never on a dry run). Must not throw. */
  public interface Progress extends PublishListener {
    /**
     * Every check passed: the publish is about to claim the version (which came from {@code
     * versionSource}) in {@code settings}' store.
     */
    default void planned(Settings settings, PublishPlan plan, String versionSource) {}
  }

  private final Application app;
  private final Progress listener;

  /**
   * @param listener told of each phase and file as the publish goes (not called on a dry run)
   */
  public PublishRelease(Application app, Progress listener) {
    this.app = app;
    this.listener = listener;
  }

  public Result run(Request request) {
    if (request.concurrency().isPresent()
        && (request.concurrency().getAsInt() < 1
            || request.concurrency().getAsInt() > S3ObjectStore.MAX_CONNECTIONS)) {
      throw CdnpubException.usage(
          "--concurrency must be between 1 and " + S3ObjectStore.MAX_CONNECTIONS + ".");
    }
    if (request.multipartThreshold() < S3ObjectStore.MIN_PART_SIZE) {
      throw CdnpubException.usage(
          "--multipart-threshold must be at least 5MiB (S3's smallest part).");
    }
    // A version given on the command line is checked before anything else is read.
    ReleaseVersion given =
        request.version() == null ? null : ReleaseVersion.parse(request.version());
    List<AliasName> tags = tagNames(request);
    // A dry run touches no store, so it may run in CI without a target.
    Settings settings =
        request.dryRun() ? app.settings(request.target()) : app.storeSettings(request.target());
    // Every setting the target needs, checked at once: one message names all that are missing,
    // before any request. A dry run checks the same, except the secrets.
    settings.requirePublish(!request.noAliases(), !request.dryRun());
    Settings.Found version = settings.releaseVersion(request.version());
    ReleaseVersion release = given != null ? given : ReleaseVersion.parse(version.value());
    String library = settings.library();
    AliasKv kv = request.dryRun() || request.noAliases() ? null : app.kv(settings);
    // What only reads, and does not depend on the files, runs while the plan hashes them: opening
    // the store (the S3 client and its first connection), the seal check and the KV preflight.
    // Nothing is written before the plan is accepted, and the plan's refusals come first.
    // A release of a few MiB travels through NSS: TLS's AES-GCM, and the SHA-256 that signs each
    // body over plain HTTP. Whether it does is known once the folder is walked; NSS then loads
    // beside the store's client, which waits for it before its first request, so that every
    // connection of the publish uses it.
    CompletableFuture<Boolean> nativeTransfers = new CompletableFuture<>();
    CompletableFuture<Opened> opening =
        request.dryRun()
            ? null
            : Threads.start(
                "cdnpub-open",
                () -> open(settings, request.multipartThreshold(), kv, release, nativeTransfers));
    PublishPlan plan;
    try {
      List<SourceFile> sources =
          DirectoryScanner.scan(app.workDir().resolve(request.dir()), request.includeHidden());
      if (!request.dryRun()
          && settings.target() == TargetKind.R2
          && NativeCrypto.pays(settings.r2().endpoint(), SourceFile.totalSize(sources))) {
        Threads.start("cdnpub-nss", NativeCrypto::preferForTransfers)
            .whenComplete(
                (preferred, failed) -> nativeTransfers.complete(failed == null && preferred));
      } else {
        nativeTransfers.complete(false);
      }
      plan = PublishPlanner.plan(sources, library, release);
    } catch (RuntimeException | Error e) {
      // The plan refused (or the walk failed): the opening stops before its first request when it
      // has not made it yet, and the store is closed either way.
      nativeTransfers.completeExceptionally(e);
      if (opening != null) {
        opening.thenAccept(opened -> opened.store().close());
      }
      throw e;
    }
    if (request.dryRun()) {
      return new Result(
          settings,
          plan,
          version.source(),
          request.multipartThreshold(),
          tags,
          settings.missingSecrets(!request.noAliases()),
          null,
          AliasResult.NONE,
          null,
          List.of());
    }
    Opened opened = Threads.join(opening, "opening the store");
    listener.planned(settings, plan, version.source());
    if (Threads.join(nativeTransfers, "loading NSS")) {
      listener.phase(
          "crypto", "AES-GCM (TLS) and SHA-256 by NSS, for " + plan.totalBytes() + " bytes");
    }
    try (ObjectStore store = opened.store()) {
      PublishResult outcome =
          new Publisher(
                  store,
                  app.clock(),
                  request.concurrency().isPresent()
                      ? UploadConcurrency.fixed(request.concurrency().getAsInt())
                      : UploadConcurrency.fromRoundTrip(Runtime.getRuntime().availableProcessors()),
                  listener)
              .publish(plan, opened.sealed());
      if (kv == null) {
        return new Result(
            settings,
            plan,
            version.source(),
            request.multipartThreshold(),
            tags,
            List.of(),
            outcome,
            AliasResult.NONE,
            null,
            List.of());
      }
      AliasResult aliases;
      try {
        aliases =
            app.aliases(settings, store, kv, request.actor())
                .onPublish(release, tags, outcome.firstRun());
      } catch (CdnpubException e) {
        throw new CdnpubException(
            e.exitCode(),
            library
                + " "
                + release
                + " is published (sealed), but its aliases failed: "
                + e.getMessage(),
            e);
      }
      return new Result(
          settings,
          plan,
          version.source(),
          request.multipartThreshold(),
          tags,
          List.of(),
          outcome,
          aliases,
          kv.describe(),
          WorkerRoutes.needed(settings, store, aliases));
    }
  }

  /** The store, opened, and the version's manifest as read from it (the seal check). */
  private record Opened(ObjectStore store, Optional<Manifest> sealed) {}

  private Opened open(
      Settings settings,
      long multipartThreshold,
      AliasKv kv,
      ReleaseVersion v,
      CompletableFuture<Boolean> nativeTransfers) {
    // The KV preflight needs nothing from the store: it travels while the store's client is built
    // (a round trip and the Cloudflare client's start-up off the path to the first upload). Its
    // failure is reported where it was before, after the store's.
    CompletableFuture<Void> kvChecked =
        kv == null
            ? CompletableFuture.completedFuture(null)
            : Threads.start(
                "cdnpub-kv",
                () -> {
                  AliasService.preflight(kv, settings.library());
                  return null;
                });
    ObjectStore store = app.store(settings, multipartThreshold);
    try {
      Threads.join(nativeTransfers, "loading NSS");
      Threads.join(kvChecked, "checking Workers KV");
      return new Opened(store, Publisher.readManifest(store, Keys.manifest(settings.library(), v)));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static List<AliasName> tagNames(Request request) {
    List<AliasName> tags = new ArrayList<>();
    for (String tag : request.tags()) {
      AliasName name = AliasName.parse(tag);
      if (name.kind() != AliasName.Kind.TAG) {
        throw CdnpubException.usage(
            "--tag "
                + tag
                + " is not a named tag; latest, vN and vN.M move by themselves (or use cdnpub alias set).");
      }
      tags.add(name);
    }
    if (request.noAliases() && !tags.isEmpty()) {
      throw CdnpubException.usage("--tag and --no-aliases contradict each other; give one.");
    }
    return tags;
  }
}
