package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasLog;
import dev.cdnpub.cloudflare.CloudflareApi;
import dev.cdnpub.cloudflare.WorkerRoute;
import dev.cdnpub.cloudflare.WorkerRoutesClient;
import dev.cdnpub.cloudflare.WorkersScriptsClient;
import dev.cdnpub.config.KvSettings;
import dev.cdnpub.config.Settings;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.worker.DeployPlan;
import dev.cdnpub.worker.ResolverScript;
import dev.cdnpub.worker.RoutePlan;
import dev.cdnpub.worker.WorkerDeployer;
import dev.cdnpub.worker.WorkerSettings;
import dev.cdnpub.worker.WranglerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "worker",
    description = "The resolver Worker that redirects alias URLs (/v1/lib/x.js) to immutable ones (/v1.2.3/lib/x.js).",
    subcommands = {WorkerCommand.Export.class, WorkerCommand.Deploy.class})
final class WorkerCommand implements Runnable {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Override
  public void run() {
    throw CdnpubException.usage("worker needs a subcommand: export or deploy (see cdnpub worker --help).");
  }

  /** Route patterns for the aliases in use by every library in the store. */
  static List<String> patterns(ObjectStore store, WorkerSettings worker) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    AliasLog.aliasNamesByLibrary(store).values().forEach(names::addAll);
    return RoutePlan.patterns(worker.cdnHost(), names);
  }

  /**
   * Aliases that a change just created and that no library used before: each needs a route. Only
   * on R2, where the Worker serves them; the local store has no Worker.
   */
  static List<String> routesNeeded(Settings settings, ObjectStore store, dev.cdnpub.alias.AliasResult result) {
    List<String> created = result.changes().stream()
        .filter(c -> c.from() == null).map(dev.cdnpub.alias.AliasChange::alias).toList();
    if (created.isEmpty() || settings.target() != dev.cdnpub.config.TargetKind.R2) {
      return List.of();
    }
    java.util.Set<String> inUseElsewhere = new java.util.HashSet<>();
    AliasLog.aliasNamesByLibrary(store).forEach((library, names) -> {
      if (!library.equals(settings.library())) {
        inUseElsewhere.addAll(names);
      }
    });
    return created.stream().filter(a -> !inUseElsewhere.contains(a)).toList();
  }

  @Command(name = "export", description = "Write resolver.js and wrangler.jsonc (KV binding, TTL vars, one route per alias in use) to DIR.")
  static final class Export extends AliasCommand.Base {
    @Parameters(index = "0", paramLabel = "DIR") Path dir;

    Export(RunContext ctx) {
      super(ctx);
    }

    @Override
    boolean needsExistingStore() {
      return true;
    }

    @Override
    int run(Settings settings, ObjectStore store) {
      WorkerSettings worker = settings.worker(false);
      List<String> patterns = patterns(store, worker);
      Path out = ctx.workDir().resolve(dir);
      try {
        Files.createDirectories(out);
        Files.writeString(out.resolve(ResolverScript.MAIN_MODULE), ResolverScript.source(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("wrangler.jsonc"), WranglerConfig.render(worker, patterns), StandardCharsets.UTF_8);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.NotDirectoryException e) {
        throw new CdnpubException(ExitCode.USAGE, out + " is a file, not a folder; give a folder for the Worker files.", e);
      } catch (IOException e) {
        throw new CdnpubException(ExitCode.USAGE, "cannot write the Worker files to " + out + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").", e);
      }
      if (output.json) {
        ObjectNode node = json("worker export");
        node.put("dir", out.toString());
        ArrayNode routes = node.putArray("routes");
        patterns.forEach(routes::add);
        ctx.console().out(Json.write(node));
      } else {
        ctx.console().out("wrote " + out.resolve(ResolverScript.MAIN_MODULE) + " and " + out.resolve("wrangler.jsonc")
            + " (" + patterns.size() + " routes)");
        if (patterns.isEmpty()) {
          ctx.console().err("warning: no library in " + store.describe() + " has aliases yet, so the config has no routes.");
        }
      }
      return 0;
    }
  }

  @Command(name = "deploy", description = {"Upload the resolver through the Workers API and create the missing routes",
      "(one per alias in use); routes of other scripts are left alone. Idempotent."})
  static final class Deploy extends AliasCommand.Base {
    @Option(names = "--dry-run", description = "Show what would change; reads the zone's routes, writes nothing.")
    boolean dryRun;

    Deploy(RunContext ctx) {
      super(ctx);
    }

    @Override
    boolean needsExistingStore() {
      return true;
    }

    @Override
    int run(Settings settings, ObjectStore store) {
      WorkerSettings worker = settings.worker(true);
      KvSettings api = settings.kv();
      List<String> patterns = patterns(store, worker);
      CloudflareApi client = ctx.cloudflareApi(api.apiBase(), api.apiToken());
      WorkerDeployer deployer = new WorkerDeployer(new WorkersScriptsClient(client), new WorkerRoutesClient(client));
      DeployPlan plan = WorkerDeployer.plan(worker, patterns, deployer.currentRoutes(worker.zoneId()));
      if (!dryRun) {
        deployer.execute(plan, api.accountId(), worker.zoneId());
      }
      if (output.json) {
        ObjectNode node = json("worker deploy");
        node.put("dryRun", dryRun);
        node.put("script", plan.scriptName());
        ArrayNode created = node.putArray(dryRun ? "routesToCreate" : "routesCreated");
        plan.routesToCreate().forEach(created::add);
        ArrayNode present = node.putArray("routesInPlace");
        plan.routesInPlace().forEach(r -> present.add(r.pattern()));
        ArrayNode foreign = node.putArray("foreignRoutes");
        plan.foreignRoutes().forEach(r -> foreign.addObject().put("pattern", r.pattern()).put("script", r.script()));
        ctx.console().out(Json.write(node));
      } else {
        String verb = dryRun ? "would " : "";
        ctx.console().out("script: " + verb + "upload " + plan.scriptName() + " (" + ResolverScript.MAIN_MODULE
            + ", compatibility date " + ResolverScript.COMPATIBILITY_DATE + ", KV " + worker.kvNamespaceId() + ")");
        for (String p : plan.routesToCreate()) {
          ctx.console().out("route: " + verb + "create " + p);
        }
        for (WorkerRoute r : plan.routesInPlace()) {
          ctx.console().out("route: in place " + r.pattern());
        }
        if (dryRun) {
          ctx.console().out("dry run: nothing was changed.");
        }
      }
      for (WorkerRoute r : plan.foreignRoutes()) {
        ctx.console().err("warning: route " + r.pattern()
            + (r.script() == null || r.script().isEmpty() ? " disables Workers on that path" : " belongs to script " + r.script())
            + "; left alone, so that alias is not served by " + plan.scriptName() + ".");
      }
      if (patterns.isEmpty()) {
        ctx.console().err("warning: no library in " + store.describe() + " has aliases yet, so no route was created.");
      }
      return 0;
    }
  }
}
