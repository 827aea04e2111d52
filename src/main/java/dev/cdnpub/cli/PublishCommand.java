package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasKv;
import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.alias.AliasService;
import dev.cdnpub.config.Settings;
import dev.cdnpub.config.TargetKind;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.PlannedFile;
import dev.cdnpub.publish.PublishListener;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.PublishPlanner;
import dev.cdnpub.publish.PublishResult;
import dev.cdnpub.publish.Publisher;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.ObjectStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "publish",
    description = {
      "Upload a built library folder under the immutable prefix v{version}/{library}/.",
      "A version is never overwritten: re-publishing the same content is a no-op, other content exits 3."
    })
final class PublishCommand implements Callable<Integer> {
  private final RunContext ctx;

  @Parameters(index = "0", paramLabel = "DIR", description = "The built library folder, e.g. ./dist.")
  Path dir;

  @Option(names = "--version", required = true, paramLabel = "X.Y.Z",
      description = "Semantic version of this release (a leading v is dropped; no build metadata).")
  String version;

  @Option(names = "--include-hidden", description = "Also publish files and folders whose name starts with '.'.")
  boolean includeHidden;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + Publisher.DEFAULT_CONCURRENCY,
      description = "Parallel uploads (1-256, default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--multipart-threshold", paramLabel = "SIZE", defaultValue = "64MiB",
      converter = SizeConverter.class,
      description = "Files larger than this go up as multipart uploads (at least 5MiB, default ${DEFAULT-VALUE}).")
  long multipartThreshold;

  @Option(names = "--dry-run", description = "Print the plan (files, bytes, keys); needs no credentials and no network.")
  boolean dryRun;

  @Option(names = "--tag", paramLabel = "NAME",
      description = "Also point this named tag (e.g. next, beta) at the new version; repeatable.")
  java.util.List<String> tags = new java.util.ArrayList<>();

  @Option(names = "--no-aliases", description = "Publish without moving any alias (staged release).")
  boolean noAliases;

  @Option(names = "--actor", paramLabel = "NAME",
      description = "Who publishes, for the alias history (default GITHUB_ACTOR, then the user name).")
  String actor;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  PublishCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (concurrency < 1 || concurrency > 256) {
      throw CdnpubException.usage("--concurrency must be between 1 and 256.");
    }
    if (multipartThreshold < 5L * 1024 * 1024) {
      throw CdnpubException.usage("--multipart-threshold must be at least 5MiB (S3's smallest part).");
    }
    ReleaseVersion release = ReleaseVersion.parse(version);
    java.util.List<AliasName> tagNames = new java.util.ArrayList<>();
    for (String tag : tags) {
      AliasName name = AliasName.parse(tag);
      if (name.kind() != AliasName.Kind.TAG) {
        throw CdnpubException.usage("--tag " + tag + " is not a named tag; latest, vN and vN.M move by themselves (or use cdnpub alias set).");
      }
      tagNames.add(name);
    }
    if (noAliases && !tagNames.isEmpty()) {
      throw CdnpubException.usage("--tag and --no-aliases contradict each other; give one.");
    }
    // A dry run touches no store, so it may run in CI without a target.
    Settings settings = dryRun ? ctx.settings(target.flags()) : ctx.storeSettings(target.flags());
    String library = settings.library();
    PublishPlan plan = PublishPlanner.plan(ctx.workDir().resolve(dir), library, release, includeHidden);
    // Every setting is checked now, so that a missing one fails before any request or upload.
    if (!dryRun && settings.target() == TargetKind.R2) {
      settings.r2();
      settings.r2Credentials();
    }
    AliasKv kv = dryRun || noAliases ? null : Backends.kv(ctx, settings);
    if (kv != null) {
      AliasService.preflight(kv, library);
    }
    Console console = ctx.console();
    if (!output.json) {
      console.out("target: " + targetLine(settings));
      console.out("plan: " + library + " " + release + ", " + plan.files().size() + " files, "
          + SizeConverter.human(plan.totalBytes()) + " -> " + plan.prefix());
    }
    if (dryRun) {
      if (output.json) {
        ObjectNode json = summary("dry_run", plan, settings);
        json.set("plan", filesJson(plan));
        console.out(Json.write(json));
      } else {
        for (PlannedFile f : plan.files()) {
          console.out("  " + f.key() + "  " + f.size() + " B  " + f.contentType()
              + (f.size() > multipartThreshold ? "  (multipart)" : ""));
        }
        console.out("dry run: nothing was written.");
      }
      return 0;
    }
    PublishListener listener = output.json ? PublishListener.NONE : new PublishListener() {
      @Override
      public void phase(String name, String detail) {
        console.out(name + ": " + detail);
      }
    };
    PublishResult result;
    AliasResult aliases = new AliasResult(java.util.List.of(), java.util.List.of());
    java.util.List<String> routesNeeded = java.util.List.of();
    try (ObjectStore store = ctx.stores().open(settings, multipartThreshold)) {
      result = new Publisher(store, ctx.clock(), concurrency, listener).publish(plan);
      if (kv != null) {
        try {
          aliases = Backends.aliases(ctx, settings, store, kv, actor).onPublish(release, tagNames, result.firstRun());
        } catch (CdnpubException e) {
          throw new CdnpubException(e.exitCode(), library + " " + release + " is published (sealed), but its aliases failed: " + e.getMessage(), e);
        }
        routesNeeded = WorkerCommand.routesNeeded(settings, store, aliases);
      }
    }
    if (output.json) {
      ObjectNode json = summary(
          result.status() == PublishResult.Status.PUBLISHED ? "published" : "already_published", plan, settings);
      json.put("uploaded", result.uploaded());
      json.put("confirmedAfterLostAnswer", result.confirmedAfterLostAnswer());
      json.put("alreadyPresent", result.alreadyPresent());
      json.put("abortedUploads", result.abortedUploads());
      json.put("bytesUploaded", result.bytesUploaded());
      json.put("manifest", plan.manifestKey());
      json.set("files", filesJson(plan));
      AliasOutput.json(json, aliases, routesNeeded);
      console.out(Json.write(json));
      return 0;
    }
    if (result.status() == PublishResult.Status.ALREADY_PUBLISHED) {
      console.out(library + " " + release + " is already published with the same content; nothing to do.");
    } else {
      console.out("published " + library + " " + release + ": " + result.uploaded() + " uploaded ("
          + SizeConverter.human(result.bytesUploaded())
          + (result.confirmedAfterLostAnswer() > 0
              ? ", " + result.confirmedAfterLostAnswer() + " of them confirmed after their answer was lost"
              : "")
          + "), " + result.alreadyPresent() + " already there from an earlier run.");
    }
    if (noAliases) {
      console.out("aliases: not moved (--no-aliases); point them with cdnpub alias set.");
    } else if (aliases.changes().isEmpty()) {
      console.out("aliases: none moved in " + kv.describe()
          + (release.isPrerelease() && tagNames.isEmpty() ? " (prerelease; use --tag next)" : "") + ".");
    } else {
      console.out("aliases: " + kv.describe());
    }
    AliasOutput.human(console, "alias ", aliases, routesNeeded);
    return 0;
  }

  private String targetLine(Settings settings) {
    String where = settings.target() == TargetKind.LOCAL
        ? "local store " + settings.localDir()
        : "R2 bucket " + (dryRun ? settings.value("CDNPUB_R2_BUCKET", "r2.bucket") : settings.r2().bucket());
    return where + (settings.targetExplicit()
        ? " (from " + settings.targetSource() + ")"
        : " (default: no R2 settings given; see README for CDNPUB_TARGET=r2)");
  }

  private ObjectNode summary(String status, PublishPlan plan, Settings settings) {
    ObjectNode json = Json.object();
    json.put("command", "publish");
    json.put("status", status);
    json.put("library", plan.library());
    json.put("version", plan.version().toString());
    json.put("target", settings.target().id());
    json.put("prefix", plan.prefix());
    json.put("digest", plan.digest());
    json.put("fileCount", plan.files().size());
    json.put("bytes", plan.totalBytes());
    return json;
  }

  private static ArrayNode filesJson(PublishPlan plan) {
    ArrayNode files = Json.MAPPER.createArrayNode();
    for (PlannedFile f : plan.files()) {
      ObjectNode o = files.addObject();
      o.put("path", f.path());
      o.put("key", f.key());
      o.put("size", f.size());
      o.put("contentType", f.contentType());
      o.put("integrity", f.integrity());
    }
    return files;
  }
}
