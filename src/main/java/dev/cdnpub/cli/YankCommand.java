package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.YankRelease;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "yank",
    description = {
      "Withdraw VERSION from every alias; its files stay, so pinned URLs keep working.",
      "Each alias on it moves back to its previous version that is not yanked (a canary on it ends),"
          + " and later moves never choose it."
    })
final class YankCommand implements Callable<Integer> {
  private final RunContext ctx;

  @Parameters(
      index = "0",
      paramLabel = "VERSION",
      description = "The sealed version to withdraw, e.g. 1.2.3.")
  String version;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why (kept in the record).")
  String reason;

  @Option(names = "--actor", paramLabel = "NAME", description = ActorOption.DESCRIPTION)
  String actor;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  YankCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    YankRelease.Result result =
        new YankRelease(ctx.app())
            .run(new YankRelease.Request(target.flags(), version, reason, actor));
    if (output.json) {
      ObjectNode node = Json.object();
      node.put("version", result.version().toString());
      AliasOutput.json(node, result.aliases(), List.of());
      ctx.console().json(node);
    } else {
      ctx.console()
          .out(
              "yanked " + result.library() + " " + result.version() + " (" + result.reason() + ")");
      AliasOutput.human(ctx.console(), "", result.aliases(), List.of());
    }
    return 0;
  }
}
