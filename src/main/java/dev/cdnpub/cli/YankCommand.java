package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.config.Settings;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.ObjectStore;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "yank",
    description = {"Withdraw VERSION: its files stay (pinned URLs keep working), every alias on it moves back",
        "to its previous version that is not yanked, and later moves never choose it."})
final class YankCommand extends AliasCommand.Base {
  @Parameters(index = "0", paramLabel = "VERSION") String version;
  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept in the record).") String reason;
  @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the change.") String actor;

  YankCommand(RunContext ctx) {
    super(ctx);
  }

  @Override
  void validate() {
    ReleaseVersion.parse(version);
    if (reason.isBlank()) {
      throw CdnpubException.usage("--reason must say why the version is withdrawn.");
    }
  }

  @Override
  int run(Settings settings, ObjectStore store) {
    ReleaseVersion v = ReleaseVersion.parse(version);
    AliasResult result = service(settings, store, actor).yank(v, reason);
    if (output.json) {
      ObjectNode node = json("yank");
      node.put("version", v.toString());
      AliasOutput.json(node, result, List.of());
      ctx.console().out(Json.write(node));
    } else {
      ctx.console().out("yanked " + settings.library() + " " + v + " (" + reason + ")");
      AliasOutput.human(ctx.console(), "", result, List.of());
    }
    return 0;
  }
}
