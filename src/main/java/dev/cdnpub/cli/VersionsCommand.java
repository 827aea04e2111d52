package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.ListVersions;
import dev.cdnpub.publish.Claim;
import dev.cdnpub.publish.Manifest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "versions",
    description =
        "List the sealed versions of a library, newest first (semver order), and versions claimed but not sealed.")
final class VersionsCommand implements Callable<Integer>, AnswerCommand {
  private final RunContext ctx;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  VersionsCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ListVersions.Result result = new ListVersions(ctx.app()).run(target.flags());
    Console console = ctx.console();
    if (output.json) {
      ObjectNode json = Json.object();
      json.put("library", result.library());
      ArrayNode versions = json.putArray("versions");
      result.sealed().forEach(v -> versions.add(v.toString()));
      ArrayNode yanked = json.putArray("yanked");
      result.yanked().forEach(yanked::add);
      ArrayNode releases = json.putArray("releases");
      for (Manifest m : result.manifests()) {
        releases
            .addObject()
            .put("version", m.version())
            .put("sealedAt", m.publishedAt())
            .put("fileCount", m.files().size())
            .put("bytes", m.totalBytes())
            .put("yanked", result.yanked().contains(m.version()));
      }
      ArrayNode claimed = json.putArray("claimed");
      for (Claim c : result.unsealed()) {
        claimed
            .addObject()
            .put("version", c.version())
            .put("claimedAt", c.claimedAt())
            .put("digest", c.digest());
      }
      console.json(json);
      return 0;
    }
    if (result.sealed().isEmpty()) {
      console.err("no published versions of " + result.library() + ".");
    }
    // The version first, so that `cdnpub versions | head -1` still gives the newest one.
    for (Manifest m : result.manifests()) {
      console.out(
          m.version()
              + (result.yanked().contains(m.version()) ? " (yanked)" : "")
              + "  "
              + m.publishedAt()
              + "  "
              + m.files().size()
              + (m.files().size() == 1 ? " file, " : " files, ")
              + SizeConverter.human(m.totalBytes()));
    }
    for (Claim c : result.unsealed()) {
      console.out(
          c.version()
              + " (claimed "
              + c.claimedAt()
              + ", not sealed: re-run its publish to finish it; "
              + result.hints().command("show " + c.version())
              + ")");
    }
    return 0;
  }
}
