package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasEntry;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.alias.Canary;
import dev.cdnpub.app.PromoteAlias;
import dev.cdnpub.app.ReadAliases;
import dev.cdnpub.app.SetAlias;
import dev.cdnpub.app.SyncAliases;
import dev.cdnpub.core.CdnpubException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "alias",
    description =
        "Read and move aliases (latest, vN, vN.M, tags); every change is recorded in the alias history.",
    subcommands = {
      AliasCommand.Set.class,
      AliasCommand.Get.class,
      AliasCommand.ListAliases.class,
      AliasCommand.History.class,
      AliasCommand.Promote.class,
      AliasCommand.Sync.class
    })
final class AliasCommand implements Runnable {
  @Mixin HelpOption help;

  @Override
  public void run() {
    throw CdnpubException.usage(
        "alias needs a subcommand: set, get, list, history, promote or sync (see cdnpub alias --help).");
  }

  @Command(
      name = "set",
      description =
          "Point ALIAS at a published VERSION (vN and vN.M must match it), or with --canary send only that share of its clients there.")
  static final class Set implements Callable<Integer> {
    private final RunContext ctx;

    @Parameters(
        index = "0",
        paramLabel = "ALIAS",
        description = "latest, vN (v1), vN.M (v1.2) or a tag (next).")
    String alias;

    @Parameters(index = "1", paramLabel = "VERSION", description = "A sealed version, e.g. 1.2.3.")
    String version;

    @Option(names = "--force", description = "Allow a yanked version.")
    boolean force;

    @Option(
        names = "--canary",
        paramLabel = "PERCENT",
        description =
            "Send PERCENT (1-99) of the clients to VERSION and keep the others on the current version; again with another percent to ramp.")
    Integer canary;

    @Option(names = "--actor", paramLabel = "NAME", description = ActorOption.DESCRIPTION)
    String actor;

    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    Set(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      SetAlias.Result result =
          new SetAlias(ctx.app())
              .run(new SetAlias.Request(target.flags(), alias, version, force, actor, canary));
      AliasOutput.print(ctx.console(), output.json, result.aliases(), result.routesNeeded());
      return 0;
    }
  }

  @Command(
      name = "get",
      description =
          "Print the version ALIAS points at, and its canary if it has one (exit 4 if it does not exist).")
  static final class Get implements Callable<Integer>, AnswerCommand {
    private final RunContext ctx;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "latest, vN, vN.M or a tag.")
    String alias;

    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    Get(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      AliasEntry entry = new ReadAliases(ctx.app()).get(target.flags(), alias).value();
      if (output.json) {
        ObjectNode node = Json.object();
        node.put("alias", alias);
        node.put("version", entry.to());
        AliasOutput.putCanary(node, "canary", entry.canary());
        node.put("movedAt", entry.at());
        ctx.console().json(node);
      } else {
        ctx.console().out(Canary.describe(entry.to(), entry.canary()));
      }
      return 0;
    }
  }

  @Command(
      name = "list",
      description = "Every alias with its version (and canary) and when it last moved.")
  static final class ListAliases implements Callable<Integer>, AnswerCommand {
    private final RunContext ctx;
    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    ListAliases(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      ReadAliases.Found<Map<String, AliasEntry>> found =
          new ReadAliases(ctx.app()).list(target.flags());
      Map<String, AliasEntry> all = found.value();
      if (output.json) {
        ObjectNode node = Json.object();
        ArrayNode array = node.putArray("aliases");
        all.forEach(
            (name, e) -> {
              ObjectNode o = array.addObject();
              o.put("alias", name);
              o.put("version", e.to());
              AliasOutput.putCanary(o, "canary", e.canary());
              o.put("movedAt", e.at());
              o.put("cause", e.cause());
              o.put("actor", e.actor());
            });
        ctx.console().json(node);
      } else if (all.isEmpty()) {
        ctx.console().err(found.library() + " has no aliases yet.");
      } else {
        all.forEach(
            (name, e) ->
                ctx.console()
                    .out(
                        String.format(
                            Locale.ROOT,
                            "%-10s %-16s %s  %s by %s",
                            name,
                            Canary.describe(e.to(), e.canary()),
                            e.at(),
                            e.cause(),
                            e.actor())));
      }
      return 0;
    }
  }

  @Command(
      name = "history",
      description = "Every change of ALIAS: time, from, to, cause and actor (oldest first).")
  static final class History implements Callable<Integer>, AnswerCommand {
    private final RunContext ctx;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "latest, vN, vN.M or a tag.")
    String alias;

    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    History(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      List<AliasEntry> history = new ReadAliases(ctx.app()).history(target.flags(), alias).value();
      if (output.json) {
        ObjectNode node = Json.object();
        node.put("alias", alias);
        node.set("history", Json.MAPPER.valueToTree(history));
        ctx.console().json(node);
      } else {
        Canary before = null; // the canary in effect before each entry: the previous one's
        for (AliasEntry e : history) {
          ctx.console()
              .out(
                  String.format(
                      Locale.ROOT,
                      "%4d  %s  %s -> %s  %s by %s%s",
                      e.seq(),
                      e.at(),
                      e.from() == null ? "(new)" : Canary.describe(e.from(), before),
                      Canary.describe(e.to(), e.canary()),
                      e.cause(),
                      e.actor(),
                      e.reason() == null ? "" : " (" + e.reason() + ")"));
          before = e.canary();
        }
      }
      return 0;
    }
  }

  @Command(
      name = "promote",
      description =
          "Move every client of ALIAS to its canary version, ending the canary (exit 3 if the canary changed meanwhile).")
  static final class Promote implements Callable<Integer> {
    private final RunContext ctx;

    @Parameters(
        index = "0",
        paramLabel = "ALIAS",
        description = "An alias with a canary: latest, vN, vN.M or a tag.")
    String alias;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "VERSION",
        description =
            "The canary version you mean to promote; if the canary is another version, nothing moves (exit 3).")
    String version;

    @Option(names = "--actor", paramLabel = "NAME", description = ActorOption.DESCRIPTION)
    String actor;

    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    Promote(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      AliasResult result =
          new PromoteAlias(ctx.app())
              .run(new PromoteAlias.Request(target.flags(), alias, version, actor));
      AliasOutput.print(ctx.console(), output.json, result, List.of());
      return 0;
    }
  }

  @Command(name = "sync", description = "Rewrite KV from the alias history (after a KV failure).")
  static final class Sync implements Callable<Integer> {
    private final RunContext ctx;
    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    Sync(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      List<String> written = new SyncAliases(ctx.app()).run(target.flags());
      if (output.json) {
        ObjectNode node = Json.object();
        ArrayNode array = node.putArray("written");
        written.forEach(array::add);
        ctx.console().json(node);
      } else {
        ctx.console()
            .out(
                written.isEmpty()
                    ? "KV already matches the alias history."
                    : "KV updated for: " + String.join(", ", written));
      }
      return 0;
    }
  }
}
