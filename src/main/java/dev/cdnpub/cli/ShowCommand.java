package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.ShowRelease;
import dev.cdnpub.publish.Claim;
import dev.cdnpub.publish.Manifest;
import dev.cdnpub.publish.ReleaseStatus;
import dev.cdnpub.publish.YankRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    description =
        "Show one version: claimed (not sealed yet), sealed or yanked, with its times, digest and files.")
final class ShowCommand implements Callable<Integer>, AnswerCommand {
  private final RunContext ctx;

  @Parameters(index = "0", paramLabel = "VERSION", description = "The version to show, e.g. 1.2.3.")
  String version;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  ShowCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ReleaseStatus status = new ShowRelease(ctx.app()).run(target.flags(), version);
    if (output.json) {
      ctx.console().json(json(status));
    } else {
      human(status);
    }
    return 0;
  }

  private void human(ReleaseStatus status) {
    Console console = ctx.console();
    String name = status.library() + " " + status.version();
    switch (status.state()) {
      case CLAIMED ->
          console.out(
              name
                  + ": claimed, not sealed. A publish reserved it and has not finished "
                  + "(interrupted, or still running); re-run that publish with the same folder to seal it.");
      case SEALED -> console.out(name + ": sealed (published).");
      case YANKED ->
          console.out(name + ": yanked (sealed, withdrawn from aliases; its files stay).");
    }
    status
        .claim()
        .ifPresent(
            c ->
                console.out(
                    "  claimed  "
                        + c.claimedAt()
                        + "  "
                        + c.digest()
                        + "  ("
                        + c.files()
                        + " files, "
                        + SizeConverter.human(c.totalBytes())
                        + ")"));
    status.manifest().ifPresent(m -> console.out("  sealed   " + m.publishedAt()));
    status
        .yank()
        .ifPresent(
            y -> console.out("  yanked   " + y.at() + " by " + y.actor() + ": " + y.reason()));
    status
        .manifest()
        .ifPresent(
            m -> {
              console.out(
                  "  files ("
                      + m.files().size()
                      + ", "
                      + SizeConverter.human(m.totalBytes())
                      + "):");
              for (Manifest.Entry f : m.files()) {
                console.out("    " + f.path() + "  " + f.size() + " B  " + f.integrity());
              }
            });
  }

  private static ObjectNode json(ReleaseStatus status) {
    ObjectNode json = Json.object();
    json.put("library", status.library());
    json.put("version", status.version().toString());
    json.put("state", status.state().id());
    status
        .claim()
        .ifPresent(
            (Claim c) -> {
              json.put("claimedAt", c.claimedAt());
              json.put("digest", c.digest());
            });
    status
        .manifest()
        .ifPresent(
            m -> {
              json.put("sealedAt", m.publishedAt());
              json.put("digest", m.digest());
              json.put("fileCount", m.files().size());
              json.put("bytes", m.totalBytes());
              var files = json.putArray("files");
              for (Manifest.Entry f : m.files()) {
                ObjectNode o = files.addObject();
                o.put("path", f.path());
                o.put("size", f.size());
                o.put("contentType", f.contentType());
                o.put("sha256", f.sha256());
                o.put("integrity", f.integrity());
              }
            });
    status
        .yank()
        .ifPresent(
            (YankRecord y) -> {
              ObjectNode yank = json.putObject("yank");
              yank.put("at", y.at());
              yank.put("actor", y.actor());
              yank.put("reason", y.reason());
            });
    return json;
  }
}
