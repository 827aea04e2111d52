package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.MakeSnippet;
import dev.cdnpub.app.VerifyRelease;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.publish.ReleaseStatus;
import dev.cdnpub.verify.AliasReport;
import dev.cdnpub.verify.FileReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    description = {
      "Re-read every file of a sealed version and compare it with the manifest: presence, size,"
          + " sha256, Content-Type and Cache-Control.",
      "With --public, read through the CDN's public URL and check that every alias pointing at the"
          + " version redirects to it. Exit 7 names every file that differs."
    })
final class VerifyCommand implements Callable<Integer> {
  private final RunContext ctx;

  @Parameters(
      index = "0",
      paramLabel = "VERSION",
      description = "The version to verify, e.g. 1.2.3.")
  String version;

  @Option(
      names = "--public",
      description =
          "Read through the CDN's public base URL (pinned URLs and alias redirects) instead of the store.")
  boolean publicCheck;

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description =
          "The CDN's address for --public. Default: CDNPUB_PUBLIC_URL, then publicUrl in"
              + " cdnpub.json; for the local store, "
              + MakeSnippet.LOCAL_BASE_URL
              + " (cdnpub serve).")
  String baseUrl;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  VerifyCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (baseUrl != null && !publicCheck) {
      throw CdnpubException.usage(
          "--base-url is only read with --public; add --public or drop it.");
    }
    VerifyRelease.Result result =
        new VerifyRelease(ctx.app())
            .run(new VerifyRelease.Request(target.flags(), version, publicCheck, baseUrl));
    if (output.json) {
      // Failure included: one object with every file's result, and exit 7.
      ctx.console().json(json(result));
      return result.ok() ? 0 : ExitCode.VERIFY_FAILED.code();
    }
    human(result);
    if (!result.ok()) {
      throw new CdnpubException(ExitCode.VERIFY_FAILED, result.failure());
    }
    return 0;
  }

  private void human(VerifyRelease.Result result) {
    Console console = ctx.console();
    String name = result.library() + " " + result.version();
    if (result.state() == ReleaseStatus.State.YANKED) {
      console.out(
          name
              + " is yanked"
              + result.yank().map(y -> " (" + y.reason() + ")").orElse("")
              + "; its files stay and are verified all the same.");
    }
    for (FileReport f : result.badFiles()) {
      console.out("  differs  " + f.path() + ": " + String.join(", ", f.problems()));
    }
    for (FileReport f : result.unexpected()) {
      console.out("  unexpected  " + f.path() + ": " + String.join(", ", f.problems()));
    }
    for (AliasReport r : result.badRedirects()) {
      console.out(
          "  alias    "
              + r.url()
              + ": "
              + String.join(", ", r.problems())
              + " (expected a redirect to "
              + r.expected()
              + ")");
    }
    if (!result.ok()) {
      for (String alias : result.canaryAliases()) {
        console.out("  skipped  " + alias + ": " + VerifyRelease.Result.CANARY_SKIPPED);
      }
    }
    if (result.ok()) {
      console.out(
          "verified "
              + name
              + ": "
              + result.files().size()
              + " files match the manifest (size, sha256, Content-Type, Cache-Control) at "
              + result.where()
              + (result.publicCheck() ? aliasLine(result) : "")
              + ".");
    }
  }

  private static String aliasLine(VerifyRelease.Result result) {
    StringBuilder line = new StringBuilder();
    if (!result.aliases().isEmpty()) {
      line.append("; ")
          .append(String.join(", ", result.aliases()))
          .append(result.aliases().size() == 1 ? " redirects" : " redirect")
          .append(" to it for every file");
    } else if (result.canaryAliases().isEmpty()) {
      line.append("; no alias points at it");
    }
    for (String alias : result.canaryAliases()) {
      line.append("; ")
          .append(alias)
          .append(" skipped: ")
          .append(VerifyRelease.Result.CANARY_SKIPPED);
    }
    return line.toString();
  }

  private static ObjectNode json(VerifyRelease.Result result) {
    ObjectNode json = Json.object();
    json.put("status", result.ok() ? "ok" : "error");
    json.put("exitCode", result.ok() ? 0 : ExitCode.VERIFY_FAILED.code());
    if (!result.ok()) {
      json.put("message", result.failure());
    }
    json.put("library", result.library());
    json.put("version", result.version().toString());
    json.put("state", result.state().id());
    result
        .yank()
        .ifPresent(
            y -> {
              ObjectNode yank = json.putObject("yank");
              yank.put("at", y.at());
              yank.put("actor", y.actor());
              yank.put("reason", y.reason());
            });
    json.put("source", result.publicCheck() ? "public" : "store");
    json.put("where", result.where());
    json.put("fileCount", result.files().size());
    json.put("badFileCount", result.badFiles().size());
    ArrayNode unexpected = json.putArray("unexpectedFiles");
    for (FileReport f : result.unexpected()) {
      ObjectNode o = unexpected.addObject();
      o.put("path", f.path());
      o.put(result.publicCheck() ? "url" : "key", f.location());
      f.problems().forEach(o.putArray("problems")::add);
    }
    ArrayNode files = json.putArray("files");
    for (FileReport f : result.files()) {
      ObjectNode o = files.addObject();
      o.put("path", f.path());
      o.put(result.publicCheck() ? "url" : "key", f.location());
      o.put("ok", f.ok());
      f.problems().forEach(o.putArray("problems")::add);
    }
    if (result.publicCheck()) {
      result.aliases().forEach(json.putArray("aliases")::add);
      ArrayNode skipped = json.putArray("skippedAliases");
      for (String alias : result.canaryAliases()) {
        skipped.addObject().put("alias", alias).put("reason", VerifyRelease.Result.CANARY_SKIPPED);
      }
      ArrayNode redirects = json.putArray("redirects");
      for (AliasReport r : result.redirects()) {
        ObjectNode o = redirects.addObject();
        o.put("alias", r.alias());
        o.put("path", r.path());
        o.put("url", r.url());
        o.put("expected", r.expected());
        o.put("ok", r.ok());
        r.problems().forEach(o.putArray("problems")::add);
      }
    }
    return json;
  }
}
