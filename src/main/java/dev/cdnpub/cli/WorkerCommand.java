package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.DeployWorker;
import dev.cdnpub.app.ExportWorker;
import dev.cdnpub.cloudflare.WorkerRoute;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.worker.DeployPlan;
import dev.cdnpub.worker.ResolverScript;
import dev.cdnpub.worker.RoutePlan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "worker",
    description =
        "The resolver Worker that redirects alias URLs (/v1/lib/x.js) to immutable ones (/v1.2.3/lib/x.js).",
    subcommands = {WorkerCommand.Export.class, WorkerCommand.Deploy.class})
final class WorkerCommand implements Runnable {
  @Mixin HelpOption help;

  @Override
  public void run() {
    throw CdnpubException.usage(
        "worker needs a subcommand: export or deploy (see cdnpub worker --help).");
  }

  @Command(
      name = "export",
      description =
          "Write resolver.js and wrangler.jsonc (KV binding, TTL vars, one route per alias in use) to DIR.")
  static final class Export implements Callable<Integer> {
    private final RunContext ctx;

    @Parameters(
        index = "0",
        paramLabel = "DIR",
        description = "Folder for resolver.js and wrangler.jsonc (created if missing).")
    Path dir;

    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    Export(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      ExportWorker.Result result =
          new ExportWorker(ctx.app()).run(new ExportWorker.Request(target.flags(), dir));
      if (output.json) {
        ObjectNode node = Json.object();
        node.put("dir", result.dir().toString());
        ArrayNode routes = node.putArray("routes");
        result.routes().forEach(routes::add);
        ctx.console().json(node);
      } else {
        ctx.console()
            .out(
                "wrote "
                    + result.script()
                    + " and "
                    + result.config()
                    + " ("
                    + result.routes().size()
                    + " routes)");
        if (result.routes().stream().allMatch(RoutePlan::isRecordsPattern)) {
          ctx.console()
              .err(
                  "warning: no library in "
                      + result.storeDescription()
                      + " has aliases yet, so the config has only the _cdnpub/ route.");
        }
      }
      return 0;
    }
  }

  @Command(
      name = "deploy",
      description = {
        "Upload the resolver through the Workers API and create its missing routes.",
        "One route per alias in use; routes of other scripts are left alone. Idempotent."
      })
  static final class Deploy implements Callable<Integer> {
    private final RunContext ctx;

    @Option(
        names = "--dry-run",
        description = "Show what would change; reads the zone's routes, writes nothing.")
    boolean dryRun;

    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Mixin HelpOption help;

    Deploy(RunContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      DeployWorker.Result result =
          new DeployWorker(ctx.app()).run(new DeployWorker.Request(target.flags(), dryRun));
      DeployPlan plan = result.plan();
      if (output.json) {
        ObjectNode node = Json.object();
        node.put("dryRun", dryRun);
        node.put("script", plan.scriptName());
        ArrayNode created = node.putArray(dryRun ? "routesToCreate" : "routesCreated");
        plan.routesToCreate().forEach(created::add);
        ArrayNode present = node.putArray("routesInPlace");
        plan.routesInPlace().forEach(r -> present.add(r.pattern()));
        ArrayNode foreign = node.putArray("foreignRoutes");
        plan.foreignRoutes()
            .forEach(
                r -> foreign.addObject().put("pattern", r.pattern()).put("script", r.script()));
        ctx.console().json(node);
      } else {
        String verb = dryRun ? "would " : "";
        ctx.console()
            .out(
                "script: "
                    + verb
                    + "upload "
                    + plan.scriptName()
                    + " ("
                    + ResolverScript.MAIN_MODULE
                    + ", compatibility date "
                    + ResolverScript.COMPATIBILITY_DATE
                    + ", KV "
                    + result.worker().kvNamespaceId()
                    + ")");
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
        ctx.console()
            .err(
                "warning: route "
                    + r.pattern()
                    + (r.script() == null || r.script().isEmpty()
                        ? " disables Workers on that path"
                        : " belongs to script " + r.script())
                    + "; left alone, so that alias is not served by "
                    + plan.scriptName()
                    + ".");
      }
      if (result.routes().stream().allMatch(RoutePlan::isRecordsPattern)) {
        ctx.console()
            .err(
                "warning: no library in "
                    + result.storeDescription()
                    + " has aliases yet, so no alias route was created.");
      }
      return 0;
    }
  }
}
