package dev.cdnpub.cli;

import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.app.RollbackAlias;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollback",
    description =
        "Point ALIAS back at its value before its last change; repeat to walk further back. An alias with a canary goes back to its stable version for everyone.")
final class RollbackCommand implements Callable<Integer> {
  private final RunContext ctx;

  @Parameters(
      index = "0",
      paramLabel = "ALIAS",
      description = "The alias to move back: latest, vN, vN.M or a tag.")
  String alias;

  @Option(names = "--to", paramLabel = "VERSION", description = "Roll back to this earlier value.")
  String to;

  @Option(names = "--actor", paramLabel = "NAME", description = ActorOption.DESCRIPTION)
  String actor;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  RollbackCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    AliasResult result =
        new RollbackAlias(ctx.app())
            .run(new RollbackAlias.Request(target.flags(), alias, to, actor));
    AliasOutput.print(ctx.console(), output.json, result, List.of());
    return 0;
  }
}
