package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasEntry;
import dev.cdnpub.alias.AliasKv;
import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.alias.AliasService;
import dev.cdnpub.config.Settings;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "alias",
    description = "Read and move aliases (latest, vN, vN.M, tags); every change is recorded in the alias history.",
    subcommands = {
      AliasCommand.Set.class, AliasCommand.Get.class, AliasCommand.ListAliases.class,
      AliasCommand.History.class, AliasCommand.Sync.class
    })
final class AliasCommand implements Runnable {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Override
  public void run() {
    throw CdnpubException.usage("alias needs a subcommand: set, get, list, history or sync (see cdnpub alias --help).");
  }

  /** Shared body of the alias subcommands: settings, store, KV, service. */
  abstract static class Base implements Callable<Integer> {
    final RunContext ctx;
    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    Base(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Settings settings = ctx.storeSettings(target.flags());
      settings.library();
      validate();
      settings.checkLocalStore(needsExistingStore());
      try (ObjectStore store = ctx.stores().open(settings, Long.MAX_VALUE)) {
        return run(settings, store);
      }
    }

    /** Checks arguments before anything is opened. */
    void validate() {}

    /**
     * Whether the command works from what the store already holds (reads it, or rewrites KV from
     * it): then a local store that does not exist is exit 4, not an empty answer for a mistyped path.
     */
    boolean needsExistingStore() {
      return false;
    }

    abstract int run(Settings settings, ObjectStore store);

    AliasService service(Settings settings, ObjectStore store, String actor) {
      AliasKv kv = Backends.kv(ctx, settings);
      return Backends.aliases(ctx, settings, store, kv, actor);
    }

    ObjectNode json(String command) {
      ObjectNode node = Json.object();
      node.put("command", command);
      return node;
    }
  }

  @Command(name = "set", description = "Point ALIAS at a published VERSION (vN and vN.M must match it).")
  static final class Set extends Base {
    @Parameters(index = "0", paramLabel = "ALIAS") String alias;
    @Parameters(index = "1", paramLabel = "VERSION") String version;
    @Option(names = "--force", description = "Allow a yanked version.") boolean force;
    @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the change (default GITHUB_ACTOR, then the user name).") String actor;

    Set(RunContext ctx) {
      super(ctx);
    }

    @Override
    void validate() {
      AliasName.parse(alias);
      ReleaseVersion.parse(version);
    }

    @Override
    int run(Settings settings, ObjectStore store) {
      AliasResult result = service(settings, store, actor).set(AliasName.parse(alias), ReleaseVersion.parse(version), force);
      List<String> routes = WorkerCommand.routesNeeded(settings, store, result);
      if (output.json) {
        ObjectNode node = json("alias set");
        AliasOutput.json(node, result, routes);
        ctx.console().out(Json.write(node));
      } else {
        AliasOutput.human(ctx.console(), "", result, routes);
      }
      return 0;
    }
  }

  @Command(name = "get", description = "Print the version ALIAS points at (exit 4 if it does not exist).")
  static final class Get extends Base {
    @Parameters(index = "0", paramLabel = "ALIAS") String alias;

    Get(RunContext ctx) {
      super(ctx);
    }

    @Override
    boolean needsExistingStore() {
      return true;
    }

    @Override
    void validate() {
      AliasName.parse(alias);
    }

    @Override
    int run(Settings settings, ObjectStore store) {
      AliasEntry entry = new dev.cdnpub.alias.AliasLog(store, settings.library()).current(alias)
          .orElseThrow(() -> CdnpubException.notFound(settings.library() + " has no alias " + alias + "."));
      if (output.json) {
        ObjectNode node = json("alias get");
        node.put("alias", alias);
        node.put("version", entry.to());
        node.put("movedAt", entry.at());
        ctx.console().out(Json.write(node));
      } else {
        ctx.console().out(entry.to());
      }
      return 0;
    }
  }

  @Command(name = "list", description = "Every alias with its version and when it last moved.")
  static final class ListAliases extends Base {
    ListAliases(RunContext ctx) {
      super(ctx);
    }

    @Override
    boolean needsExistingStore() {
      return true;
    }

    @Override
    int run(Settings settings, ObjectStore store) {
      Map<String, AliasEntry> all = new dev.cdnpub.alias.AliasLog(store, settings.library()).all();
      if (output.json) {
        ObjectNode node = json("alias list");
        ArrayNode array = node.putArray("aliases");
        all.forEach((name, e) -> {
          ObjectNode o = array.addObject();
          o.put("alias", name);
          o.put("version", e.to());
          o.put("movedAt", e.at());
          o.put("cause", e.cause());
          o.put("actor", e.actor());
        });
        ctx.console().out(Json.write(node));
      } else if (all.isEmpty()) {
        ctx.console().err(settings.library() + " has no aliases yet.");
      } else {
        all.forEach((name, e) -> ctx.console().out(
            String.format("%-10s %-16s %s  %s by %s", name, e.to(), e.at(), e.cause(), e.actor())));
      }
      return 0;
    }
  }

  @Command(name = "history", description = "Every change of ALIAS: time, from, to, cause and actor (oldest first).")
  static final class History extends Base {
    @Parameters(index = "0", paramLabel = "ALIAS") String alias;

    History(RunContext ctx) {
      super(ctx);
    }

    @Override
    boolean needsExistingStore() {
      return true;
    }

    @Override
    void validate() {
      AliasName.parse(alias);
    }

    @Override
    int run(Settings settings, ObjectStore store) {
      List<AliasEntry> history = new dev.cdnpub.alias.AliasLog(store, settings.library()).history(alias);
      if (history.isEmpty()) {
        throw CdnpubException.notFound(settings.library() + " has no alias " + alias + ".");
      }
      if (output.json) {
        ObjectNode node = json("alias history");
        node.put("alias", alias);
        node.set("history", Json.MAPPER.valueToTree(history));
        ctx.console().out(Json.write(node));
      } else {
        for (AliasEntry e : history) {
          ctx.console().out(String.format("%4d  %s  %s -> %s  %s by %s%s", e.seq(), e.at(),
              e.from() == null ? "(new)" : e.from(), e.to(), e.cause(), e.actor(),
              e.reason() == null ? "" : " (" + e.reason() + ")"));
        }
      }
      return 0;
    }
  }

  @Command(name = "sync", description = "Rewrite KV from the alias history (after a KV failure).")
  static final class Sync extends Base {
    Sync(RunContext ctx) {
      super(ctx);
    }

    @Override
    boolean needsExistingStore() {
      return true;
    }

    @Override
    int run(Settings settings, ObjectStore store) {
      List<String> written = service(settings, store, null).sync();
      if (output.json) {
        ObjectNode node = json("alias sync");
        ArrayNode array = node.putArray("written");
        written.forEach(array::add);
        ctx.console().out(Json.write(node));
      } else {
        ctx.console().out(written.isEmpty() ? "KV already matches the alias history." : "KV updated for: " + String.join(", ", written));
      }
      return 0;
    }
  }
}
