package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.PublishRelease;
import dev.cdnpub.config.Settings;
import dev.cdnpub.config.TargetKind;
import dev.cdnpub.publish.PlannedFile;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.PublishResult;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
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

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "The built library folder, e.g. ./dist.")
  Path dir;

  @Option(
      names = "--version",
      paramLabel = "X.Y.Z",
      description =
          "Semantic version of this release (a leading v is dropped; no build metadata)."
              + " Default: CDNPUB_VERSION, then the version in ./package.json.")
  String version;

  @Option(
      names = "--include-hidden",
      description = "Also publish files and folders whose name starts with '.'.")
  boolean includeHidden;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description =
          "Parallel uploads (1-256; default: chosen from the round trip to the store, 16-128).")
  Integer concurrency;

  @Option(
      names = "--multipart-threshold",
      paramLabel = "SIZE",
      defaultValue = "64MiB",
      converter = SizeConverter.class,
      description =
          "Files larger than this go up as multipart uploads (at least 5MiB, default ${DEFAULT-VALUE}).")
  long multipartThreshold;

  @Option(
      names = "--dry-run",
      description = "Print the plan (files, bytes, keys); needs no credentials and no network.")
  boolean dryRun;

  @Option(
      names = "--tag",
      paramLabel = "NAME",
      description = "Also point this named tag (e.g. next, beta) at the new version; repeatable.")
  List<String> tags = new ArrayList<>();

  @Option(
      names = "--no-aliases",
      description = "Publish without moving any alias (staged release).")
  boolean noAliases;

  @Option(names = "--actor", paramLabel = "NAME", description = ActorOption.DESCRIPTION)
  String actor;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  PublishCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    Console console = ctx.console();
    // The in-place line only where a person watches: a terminal, not CI's log, not --json/--quiet.
    boolean progressLine =
        !output.json && !output.quiet && console.errIsTerminal() && !ctx.app().inCi();
    Lines progress = output.json ? null : new Lines(console, ctx.clock(), progressLine);
    if (output.verbose && !output.json) {
      // which JIT, heap and archive the launcher chose: they decide the speed of a publish
      console.out("runtime: " + VersionProvider.runtime());
    }
    PublishRelease.Result result;
    try {
      result =
          new PublishRelease(
                  ctx.app(), progress == null ? new PublishRelease.Progress() {} : progress)
              .run(
                  new PublishRelease.Request(
                      target.flags(),
                      dir,
                      version,
                      includeHidden,
                      concurrency == null ? OptionalInt.empty() : OptionalInt.of(concurrency),
                      multipartThreshold,
                      dryRun,
                      tags,
                      noAliases,
                      actor));
    } finally {
      // Ends the progress line, also when the publish failed, before the failure's sentence.
      if (progress != null) {
        progress.endLine();
      }
    }
    if (output.json) {
      console.json(json(result));
    } else if (result.dryRun()) {
      dryRunLines(console, result);
    } else {
      resultLines(console, result);
    }
    return 0;
  }

  /**
   * The publish as lines on stdout (target, plan, each phase) and, on a terminal, one progress line
   * on stderr during the upload phase, ended before the next line is printed.
   */
  private static final class Lines implements PublishRelease.Progress {
    private final Console console;
    private final InstantSource clock;
    private final boolean progressLine;
    private PublishPlan plan;
    private ProgressLine line;

    Lines(Console console, InstantSource clock, boolean progressLine) {
      this.console = console;
      this.clock = clock;
      this.progressLine = progressLine;
    }

    @Override
    public synchronized void planned(Settings settings, PublishPlan plan, String versionSource) {
      this.plan = plan;
      planLines(console, settings, plan, versionSource);
    }

    @Override
    public synchronized void phase(String name, String detail) {
      endLine();
      console.out(name + ": " + detail);
      if (progressLine && name.equals("upload") && plan != null) {
        line = new ProgressLine(console, clock, plan.files().size(), plan.totalBytes());
      }
    }

    @Override
    public void fileDone(PlannedFile file, boolean created) {
      ProgressLine current;
      synchronized (this) {
        current = line;
      }
      if (current != null) {
        current.fileDone(file.size());
      }
    }

    synchronized void endLine() {
      if (line != null) {
        line.finish();
        line = null;
      }
    }
  }

  private static void planLines(
      Console console, Settings settings, PublishPlan plan, String versionSource) {
    console.out("target: " + targetLine(settings));
    console.out(
        "plan: "
            + plan.library()
            + " "
            + plan.version()
            + " (version from "
            + versionSource
            + "), "
            + plan.files().size()
            + " files, "
            + SizeConverter.human(plan.totalBytes())
            + " -> "
            + plan.prefix());
  }

  private static void dryRunLines(Console console, PublishRelease.Result result) {
    planLines(console, result.settings(), result.plan(), result.versionSource());
    for (PlannedFile f : result.plan().files()) {
      console.out(
          "  "
              + f.key()
              + "  "
              + f.size()
              + " B  "
              + f.contentType()
              + (f.size() > result.multipartThreshold() ? "  (multipart)" : ""));
    }
    if (!result.credentialsMissing().isEmpty()) {
      console.out(
          "credentials: not set here; the real publish needs "
              + String.join(", ", result.credentialsMissing())
              + " in the environment.");
    }
    console.out("dry run: nothing was written.");
  }

  private void resultLines(Console console, PublishRelease.Result result) {
    PublishPlan plan = result.plan();
    PublishResult outcome = result.outcome();
    String name = plan.library() + " " + plan.version();
    if (outcome.status() == PublishResult.Status.ALREADY_PUBLISHED) {
      console.out(name + " is already published with the same content; nothing to do.");
    } else {
      console.out(
          "published "
              + name
              + ": "
              + outcome.uploaded()
              + " uploaded ("
              + SizeConverter.human(outcome.bytesUploaded())
              + (outcome.confirmedAfterLostAnswer() > 0
                  ? ", "
                      + outcome.confirmedAfterLostAnswer()
                      + " of them confirmed after their answer was lost"
                  : "")
              + "), "
              + outcome.alreadyPresent()
              + " already there from an earlier run.");
    }
    if (result.aliasStore() == null) {
      console.out("aliases: not moved (--no-aliases); point them with cdnpub alias set.");
    } else if (result.aliases().changes().isEmpty()) {
      console.out(
          "aliases: none moved in "
              + result.aliasStore()
              + (plan.version().isPrerelease() && result.tags().isEmpty()
                  ? " (prerelease; use --tag next)"
                  : "")
              + ".");
    } else {
      console.out("aliases: " + result.aliasStore());
    }
    AliasOutput.human(console, "alias ", result.aliases(), result.routesNeeded());
  }

  private static String targetLine(Settings settings) {
    String where =
        settings.target() == TargetKind.LOCAL
            ? "local store " + settings.localDir()
            : "R2 bucket " + settings.r2().bucket();
    return where
        + (settings.targetExplicit()
            ? " (from " + settings.targetSource() + ")"
            : " (default: no R2 settings given; see README for CDNPUB_TARGET=r2)");
  }

  private static ObjectNode json(PublishRelease.Result result) {
    PublishPlan plan = result.plan();
    PublishResult outcome = result.outcome();
    ObjectNode json = Json.object();
    json.put(
        "status",
        result.dryRun()
            ? "dry_run"
            : outcome.status() == PublishResult.Status.PUBLISHED
                ? "published"
                : "already_published");
    json.put("library", plan.library());
    json.put("version", plan.version().toString());
    json.put("versionSource", result.versionSource());
    json.put("target", result.settings().target().id());
    json.put("prefix", plan.prefix());
    json.put("digest", plan.digest());
    json.put("fileCount", plan.files().size());
    json.put("bytes", plan.totalBytes());
    if (result.dryRun()) {
      json.set("plan", filesJson(plan));
      result.credentialsMissing().forEach(json.putArray("credentialsMissing")::add);
      return json;
    }
    json.put("uploaded", outcome.uploaded());
    json.put("confirmedAfterLostAnswer", outcome.confirmedAfterLostAnswer());
    json.put("alreadyPresent", outcome.alreadyPresent());
    json.put("abortedUploads", outcome.abortedUploads());
    json.put("bytesUploaded", outcome.bytesUploaded());
    json.put("manifest", plan.manifestKey());
    json.set("files", filesJson(plan));
    AliasOutput.json(json, result.aliases(), result.routesNeeded());
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
