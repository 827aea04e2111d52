package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.config.Settings;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.ObjectStore;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback",
    description = "Point ALIAS back at its value before its last change; repeat to walk further back.")
final class RollbackCommand extends AliasCommand.Base {
  @Parameters(index = "0", paramLabel = "ALIAS") String alias;
  @Option(names = "--to", paramLabel = "VERSION", description = "Roll back to this earlier value.") String to;
  @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the change.") String actor;

  RollbackCommand(RunContext ctx) {
    super(ctx);
  }

  @Override
  void validate() {
    AliasName.parse(alias);
    if (to != null) {
      ReleaseVersion.parse(to);
    }
  }

  @Override
  int run(Settings settings, ObjectStore store) {
    AliasResult result = service(settings, store, actor)
        .rollback(AliasName.parse(alias), to == null ? null : ReleaseVersion.parse(to));
    if (output.json) {
      ObjectNode node = json("rollback");
      AliasOutput.json(node, result, List.of());
      ctx.console().out(Json.write(node));
    } else {
      AliasOutput.human(ctx.console(), "", result, List.of());
    }
    return 0;
  }
}
