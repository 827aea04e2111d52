package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.ListVersions;
import dev.cdnpub.publish.Claim;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "versions",
    description =
        "List the sealed versions of a library, newest first (semver order), and versions claimed but not sealed.")
final class VersionsCommand implements Callable<Integer> {
  private final RunContext ctx;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help.")
  boolean help;

  VersionsCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ListVersions.Result result = new ListVersions(ctx.app()).run(target.flags());
    Console console = ctx.console();
    if (output.json) {
      ObjectNode json = Json.command("versions");
      json.put("library", result.library());
      ArrayNode versions = json.putArray("versions");
      result.sealed().forEach(v -> versions.add(v.toString()));
      ArrayNode yanked = json.putArray("yanked");
      result.yanked().forEach(yanked::add);
      ArrayNode claimed = json.putArray("claimed");
      for (Claim c : result.unsealed()) {
        claimed
            .addObject()
            .put("version", c.version())
            .put("claimedAt", c.claimedAt())
            .put("digest", c.digest());
      }
      console.out(Json.write(json));
      return 0;
    }
    if (result.sealed().isEmpty()) {
      console.err("no published versions of " + result.library() + ".");
    }
    result
        .sealed()
        .forEach(v -> console.out(v + (result.yanked().contains(v.toString()) ? " (yanked)" : "")));
    for (Claim c : result.unsealed()) {
      console.out(
          c.version()
              + " (claimed "
              + c.claimedAt()
              + ", not sealed: re-run its publish to finish it; cdnpub show "
              + c.version()
              + ")");
    }
    return 0;
  }
}
